// The workspace external URL, normalized as Bytebase's NormalizeExternalURL does.
import { GrpcError, Code } from "./errors";

/** Trims spaces and one trailing '/', requires http(s)://, drops ':80' / ':443'. Throws Bytebase's 400. */
export function normalizeExternalUrl(value: string): string {
  let url = value.trim();
  if (url.endsWith("/")) url = url.slice(0, -1);
  if (!url.startsWith("http://") && !url.startsWith("https://"))
    throw new GrpcError(
      Code.InvalidArgument,
      `invalid external url: ${value} must start with http:// or https://`,
    );
  const parts = url.split(":");
  if (parts.length === 3 && (parts[2] === "80" || parts[2] === "443")) url = parts.slice(0, 2).join(":");
  return url;
}
