/**
 * Media types Rocket.Chat's upload bridge gives a file by its name (determineFileType: a mime lookup of the name
 * comes first), for the extensions admins commonly block or allow. Unknown extensions give undefined.
 */
const BY_EXTENSION: Record<string, string> = {
  svg: 'image/svg+xml',
  svgz: 'image/svg+xml',
  html: 'text/html',
  htm: 'text/html',
  xml: 'application/xml',
  js: 'application/javascript',
  mjs: 'application/javascript',
  exe: 'application/x-msdownload',
  sh: 'application/x-sh',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  pdf: 'application/pdf',
  txt: 'text/plain',
  md: 'text/markdown',
  json: 'application/json',
  zip: 'application/zip',
  mp3: 'audio/mpeg',
  mp4: 'video/mp4',
};

export function mediaTypeOfName(name: string): string | undefined {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? undefined : BY_EXTENSION[name.slice(dot + 1).toLowerCase()];
}

/**
 * The media types the server may give a file the app posts: by its name, and the type recorded when it was
 * stored. Both are checked against the workspace's lists, so a file passes only when both would.
 */
export function likelyMediaTypes(name: string, recorded: string | undefined): string[] {
  const types = [mediaTypeOfName(name), recorded || 'application/octet-stream'];
  return [...new Set(types.filter((type): type is string => type !== undefined))];
}
