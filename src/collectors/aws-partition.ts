/**
 * The AWS partition a region belongs to, as ARNs spell it: `aws-us-gov` for GovCloud, `aws-cn` for the China regions,
 * `aws-eusc` for the European Sovereign Cloud, `aws-iso*` for the isolated regions, `aws` for every other region.
 * Live collectors build ARNs and read bucket policies with it, so a GovCloud bucket policy naming
 * `arn:aws-us-gov:s3:::bucket/*` is read as covering the bucket.
 */
export function partitionOfRegion(region: string): string {
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("eusc-")) return "aws-eusc";
  if (region.startsWith("us-isob-")) return "aws-iso-b";
  if (region.startsWith("us-isof-")) return "aws-iso-f";
  if (region.startsWith("eu-isoe-")) return "aws-iso-e";
  if (region.startsWith("us-iso-")) return "aws-iso";
  return "aws";
}
