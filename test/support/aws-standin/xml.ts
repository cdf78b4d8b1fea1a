/** A value the XML writer can serialize; Date becomes ISO 8601. */
export type XmlValue =
  | string
  | number
  | boolean
  | null
  | undefined
  | Date
  | XmlValue[]
  | { [k: string]: XmlValue };

/** How a list field is written: wrapped with an item element name, or flattened (the field name repeats). */
export type ListStyle = string | { flat: true };

/** Escape text for XML content. */
export function xmlEscape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function scalar(v: string | number | boolean | Date): string {
  if (v instanceof Date) return v.toISOString();
  return xmlEscape(String(v));
}

/** Serialize the fields of an object as XML elements; `listStyle(field)` names list items (default "member"). */
export function fieldsToXml(obj: Record<string, XmlValue>, listStyle: (field: string) => ListStyle): string {
  let out = "";
  for (const [k, v] of Object.entries(obj)) out += elementToXml(k, v, listStyle);
  return out;
}

/** Serialize one named element. */
export function elementToXml(name: string, v: XmlValue, listStyle: (field: string) => ListStyle): string {
  if (v === undefined || v === null) return "";
  if (Array.isArray(v)) {
    const style = listStyle(name);
    if (typeof style === "object") return v.map((item) => elementToXml(name, item, listStyle)).join("");
    return `<${name}>${v.map((item) => elementToXml(style, item, listStyle)).join("")}</${name}>`;
  }
  if (typeof v === "object" && !(v instanceof Date)) return `<${name}>${fieldsToXml(v, listStyle)}</${name}>`;
  return `<${name}>${scalar(v)}</${name}>`;
}
