import type { RosterExportQuery, RosterImportQuery, TenantScopeQuery } from '../../generated/api-types.js';
import { exportPackage } from '../../oneroster/csv/export/export-package.js';
import { beginImport, runImport } from '../../oneroster/csv/import/import-package.js';
import { getImport, listImports } from '../../oneroster/csv/import/import-records.js';
import { saveUpload, UPLOAD_MEDIA_TYPES } from '../../oneroster/csv/upload.js';
import { openZip } from '../../packaging/open-zip.js';
import { PackageError } from '../../packaging/package-error.js';
import { invalidField, notFound, Problem } from '../../problems.js';
import { isUuid, type TenantId } from '../../tenancy/ids.js';
import { isPlatformAdmin, type Principal } from '../../tenancy/principal.js';
import { PLATFORM_ADMIN, TENANT_ADMIN } from '../../tenancy/scopes.js';
import { type ApiDeps, type ApiRequest, type ApiRoute, reachTenant } from './route.js';

const ADMINS = [PLATFORM_ADMIN, TENANT_ADMIN];
const problem = 'urn:edhub:schema:api:problem';

/** A tenant credential acts on its own tenant; a platform administrator must name one (?tenantId=). */
async function tenantFor(deps: ApiDeps, principal: Principal, named: string | undefined): Promise<TenantId> {
  if (isPlatformAdmin(principal) && named === undefined) throw invalidField('query', '/tenantId', 'is required for a platform credential');
  return reachTenant(deps, principal, named ?? principal.tenantId ?? undefined, ADMINS);
}

export const onerosterRoutes: ApiRoute[] = [
  {
    method: 'post',
    path: '/api/v1/oneroster/imports',
    operationId: 'createRosterImport',
    summary: 'Upload a OneRoster 1.1/1.2 CSV package (raw zip, or multipart with the zip as its file) and import it, all or nothing',
    tag: 'oneroster',
    scopes: ADMINS,
    query: 'urn:edhub:schema:api:tenant-scope-query',
    upload: UPLOAD_MEDIA_TYPES,
    responses: {
      202: { description: 'The import has started; poll its Location', schema: 'urn:edhub:schema:api:roster-import' },
      409: { description: 'Another import of this tenant is running', schema: problem },
      422: { description: 'The upload is not a package that can be opened (not a zip, unsafe paths, limits)', schema: problem },
    },
    async handle(deps, req: ApiRequest<TenantScopeQuery>) {
      const tenantId = await tenantFor(deps, req.principal, req.query.tenantId);
      const upload = req.upload as NonNullable<typeof req.upload>;
      const saved = await saveUpload(upload.stream, upload.contentType, deps.config.uploadLimitBytes);
      let pkg: Awaited<ReturnType<typeof openZip>>;
      try {
        pkg = await openZip(saved.path);
      } catch (err) {
        await saved.discard();
        if (err instanceof PackageError) throw new Problem('invalid-package', `${err.message} [${err.code}]`);
        throw err;
      }
      const options = { tenantId, sourceName: saved.name, ctx: req.ctx, now: deps.now, copyIn: deps.copyIn };
      let importId: string;
      try {
        importId = await beginImport(deps.db, options);
      } catch (err) {
        await pkg.close();
        await saved.discard();
        throw err;
      }
      // The work continues after the response; its outcome lands on the import record.
      void runImport(deps.db, pkg, importId, options)
        .catch((err) => deps.logger.error({ err, importId }, 'OneRoster import failed'))
        .finally(async () => {
          await pkg.close().catch(() => {});
          await saved.discard();
        });
      const body = await getImport(deps.db, tenantId, importId, { offset: 0, limit: 100 });
      return { status: 202, body, headers: { Location: `/api/v1/oneroster/imports/${importId}` } };
    },
  },
  {
    method: 'get',
    path: '/api/v1/oneroster/imports',
    operationId: 'listRosterImports',
    summary: "List a tenant's OneRoster imports in the order they started",
    tag: 'oneroster',
    scopes: ADMINS,
    query: 'urn:edhub:schema:api:tenant-scope-query',
    responses: { 200: { description: 'A page of imports (diagnostics omitted: read one import for them)', schema: 'urn:edhub:schema:api:roster-import-list' } },
    async handle(deps, req: ApiRequest<TenantScopeQuery>) {
      const tenantId = await tenantFor(deps, req.principal, req.query.tenantId);
      return { status: 200, body: await listImports(deps.db, tenantId, { limit: req.query.limit ?? 50, cursor: req.query.cursor }) };
    },
  },
  {
    method: 'get',
    path: '/api/v1/oneroster/imports/{importId}',
    operationId: 'getRosterImport',
    summary: 'Read one import: status, counts per file, and its diagnostics paged with offset/limit',
    tag: 'oneroster',
    scopes: ADMINS,
    query: 'urn:edhub:schema:api:roster-import-query',
    responses: {
      200: { description: 'The import', schema: 'urn:edhub:schema:api:roster-import' },
      404: { description: 'No such import for this tenant', schema: problem },
    },
    async handle(deps, req: ApiRequest<RosterImportQuery>) {
      // An import belongs to one tenant; a platform administrator reads any by id.
      const tenantId = isPlatformAdmin(req.principal) ? await ownerOf(deps, req.params.importId) : await tenantFor(deps, req.principal, undefined);
      const found =
        tenantId && (await getImport(deps.db, tenantId, req.params.importId ?? '', { offset: req.query.offset ?? 0, limit: req.query.limit ?? 100 }));
      if (!found) throw notFound(`import ${req.params.importId}`);
      return { status: 200, body: found };
    },
  },
  {
    method: 'get',
    path: '/api/v1/oneroster/exports',
    operationId: 'exportRoster',
    summary: "Download the tenant's roster as a OneRoster CSV package (zip): a bulk snapshot, or a delta since a moment",
    tag: 'oneroster',
    scopes: ADMINS,
    query: 'urn:edhub:schema:api:roster-export-query',
    produces: 'application/zip',
    responses: { 200: { description: 'The package, streamed' } },
    async handle(deps, req: ApiRequest<RosterExportQuery>) {
      const tenantId = await tenantFor(deps, req.principal, req.query.tenantId);
      const since = req.query.since ? new Date(req.query.since) : undefined;
      const { zip } = await exportPackage(deps.db, tenantId, { version: req.query.version, since, ctx: req.ctx });
      const name = `oneroster-${req.query.version}-${since ? 'delta' : 'bulk'}-${deps.now().toISOString().slice(0, 10)}.zip`;
      return {
        status: 200,
        stream: zip,
        headers: { 'Content-Type': 'application/zip', 'Content-Disposition': `attachment; filename="${name}"`, 'Cache-Control': 'no-store' },
      };
    },
  },
];

async function ownerOf(deps: ApiDeps, importId: string | undefined): Promise<TenantId | undefined> {
  if (!importId || !isUuid(importId)) return undefined;
  const row = await deps.db.selectFrom('roster_imports').select('tenant_id').where('id', '=', importId).executeTakeFirst();
  return row?.tenant_id as TenantId | undefined;
}
