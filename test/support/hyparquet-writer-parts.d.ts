/**
 * hyparquet-writer's page-header and footer writers, which the INT96 writer assembles a file from. The package
 * exports their types for `node16` module resolution only; the project resolves as `node`, so they are mapped here.
 */
declare module 'hyparquet-writer/src/datapage.js' {
  export { writePageHeader } from 'hyparquet-writer/types/datapage';
}
declare module 'hyparquet-writer/src/metadata.js' {
  export { writeMetadata } from 'hyparquet-writer/types/metadata';
}
