import type { EntityDef } from '../rest-tables.js';

/**
 * Component names as the 1.2 OpenAPI files spell them (`UserDType`, `UserSetDType`,
 * `SingleUserDType`, `OrgGUIDRefDType`…), so a client generated from the official files and one
 * generated from ours name the same types, and scripts/check-oneroster-openapi.ts can compare them
 * schema by schema. Two names break the pattern in the official files and are kept as they are.
 */
const SET_NAMES: Record<string, string> = { categories: 'CategoriesSetDType' };
const REF_STEMS: Record<string, string> = { academicSession: 'AcadSession' };

const capital = (s: string) => `${s.charAt(0).toUpperCase()}${s.slice(1)}`;

export const entitySchemaName = (e: EntityDef) => `${capital(e.single)}DType`;
export const setSchemaName = (e: EntityDef) => SET_NAMES[e.name] ?? `${capital(e.single)}SetDType`;
export const singleSchemaName = (e: EntityDef) => `Single${capital(e.single)}DType`;
export const refSchemaName = (refType: string) => `${REF_STEMS[refType] ?? capital(refType)}GUIDRefDType`;

export const STATUS_INFO = 'imsx_StatusInfoDType';
export const CODE_MINOR = 'imsx_CodeMinorDType';
export const CODE_MINOR_FIELD = 'imsx_CodeMinorFieldDType';
export const METADATA = 'MetadataDType';
export const GUID_PAIR = 'GUIDPairDType';
export const GUID_PAIR_SET = 'GUIDPairSetDType';

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
