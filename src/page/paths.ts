/**
 * The page's endpoint paths under `/api/apps/public/<appId>/`. Kept apart from the endpoints, whose module imports
 * the bundled browser script that only the packaged app has.
 */
export enum PagePath {
  Page = 'open',
  Script = 'open.js',
  Block = 'block',
  Key = 'key',
}
