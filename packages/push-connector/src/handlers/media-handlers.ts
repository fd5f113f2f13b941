import { Proto } from '@fscpush/protocol';
import type { UploadUrl } from '../media-uploads.ts';
import { defineHandler, invalid, isObject } from './handler.ts';

interface UploadRequest {
  mediaType: number;
  key: string;
}

/** GMURL: TCP GetMinioUploadUrlRequest / WS {mediaType, key} → {domain, url} (TCP adds the upload host and port). */
export const minioUploadUrl = defineHandler<UploadRequest, UploadUrl>({
  fromTcp: (body) => {
    const req = Proto.GetMinioUploadUrlRequest.decode(body);
    return { mediaType: req.mediaType, key: req.key };
  },
  fromWs: (content) => {
    if (!isObject(content)) throw invalid('GMURL content must be an object');
    const mediaType = content['mediaType'];
    const key = content['key'];
    const type = typeof mediaType === 'string' && /^\d{1,3}$/.test(mediaType) ? Number(mediaType) : mediaType;
    if (typeof type !== 'number' || typeof key !== 'string') throw invalid('GMURL needs {mediaType, key}');
    return { mediaType: type, key };
  },
  handle: (ctx, req) => ctx.services.media.uploadUrl(ctx.uid, req.mediaType, req.key),
  toTcp: (res) => {
    const url = new URL(res.url);
    const port = url.port !== '' ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    return Proto.GetMinioUploadUrlResult.encode({ domain: res.domain, server: url.hostname, port, url: res.url });
  },
  toWs: (res) => ({ domain: res.domain, url: res.url }),
});

/** GQNUT: Qiniu upload tokens are not supported (254 on TCP, "" on WebSocket). */
export const qiniuUploadToken = defineHandler<null, never>({
  fromTcp: () => null,
  fromWs: () => null,
  handle: (ctx) => ctx.services.media.qiniuToken(ctx.uid),
  toTcp: () => new Uint8Array(0),
  toWs: () => '',
});
