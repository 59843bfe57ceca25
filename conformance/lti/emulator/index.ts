/** The LTI 1.3 platform emulator: a stand-in LMS that can launch any LTI tool (see conformance/lti/README.md). */
export type { DeepLinkingResult } from './deep-linking/deep-linking-result.js';
export type { PlatformEndpoints } from './endpoints.js';
export type { LaunchInput, LaunchTicket } from './launch/create-launch.js';
export type { EmulatorOptions } from './options.js';
export { DEFAULT_EMULATOR_PORT, type EmulatorCommandOptions, runEmulatorCommand } from './run-emulator-command.js';
export type { LineItem, LineItemFields, StoredScore } from './services/ags/line-item-store.js';
export { type LtiEmulator, startLtiEmulator } from './start-emulator.js';
export type { DirectoryData, EmulatedContext, EmulatedResourceLink, EmulatedUser } from './state/directory.js';
export type { ToolInput, ToolMessage, ToolRegistration } from './state/tool-registry.js';
export type { Tamper } from './tamper/tamper-table.js';
