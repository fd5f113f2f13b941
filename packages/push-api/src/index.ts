export { startPushApi, type PushApi, type PushApiDeps } from './push-api.ts';
export { createApiApp, type ApiAppDeps } from './api-app.ts';
export { buildOpenApiDocument } from './openapi/build-document.ts';
export { routeErrorCodes } from './openapi/error-codes.ts';
export { ROUTES } from './routes/index.ts';
export { expressPath, type ApiServices, type Route } from './routes/route.ts';
export { installAdminSecret } from './auth/admin-secret.ts';
export { PUSH_API_MIGRATIONS, type ApiStore, type ApiSchema } from './store/index.ts';
