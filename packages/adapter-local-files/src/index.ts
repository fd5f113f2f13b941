/** Media in local files, with the HTTP listener clients upload to and download from. */
export { LocalFileStorage } from './local-file-storage.ts';
export { createLocalMediaListener } from './local-media-listener.ts';
