// Who may do what in each console version: the workspace roles that hold the permissions this package needs, and
// the advice a 403 gives. The one place that knows the roles' names per version.

/**
 * What a refused request (403) should say about roles, for the console's version when known ("2.14.3").
 * - 2.5 - 2.13: workspace roles Owner, DBA, Developer; role checks only on Owner-and-DBA methods
 *   (bytebase backend/api/v1/acl.go and acl_config.go@2.13.0, ownerAndDBAMethods).
 * - 2.14: workspace roles Admin, DBA, Member; `bb.externalVersionControls.create/update/delete` only for Admin and
 *   DBA, a Member may get and list Git providers, and every role holds `bb.settings.list`
 *   (backend/component/iam/acl.yaml@2.14.0).
 * - 2.15 - 3.4: the same roles; `bb.vcsProviders.create/update/delete` only for Admin and DBA (a Member may get, list
 *   and search), `bb.vcsConnectors.*` for Admin, DBA and the project's Owner (acl.yaml@2.15.0 and @3.4.1).
 */
export function permissionAdvice(version?: string): string {
  const [major, minor] = (/^v?(\d+)\.(\d+)/.exec(version ?? "") ?? []).slice(1).map(Number);
  const known = major !== undefined && minor !== undefined;
  if (known && major === 2 && minor! < 14)
    return "give the service account the workspace Owner or DBA role (Settings > Members) or use one that has it";
  if (known && major === 2 && minor === 14)
    return (
      "give the service account the workspace Admin or DBA role (Settings > Members; on Bytebase 2.14 a Member may " +
      "read Git providers but not create, update or delete them) or use one that has it"
    );
  if (known && ((major === 2 && minor! >= 15) || (major === 3 && minor! <= 4)))
    return (
      "give the service account the workspace Admin or DBA role (Settings > Members; a Member may read Git providers " +
      "but not create, update or delete them; a project's connectors also allow the project Owner role) or use one " +
      "that has it"
    );
  return (
    "give the service account the workspace Admin or DBA role (Owner or DBA before Bytebase 2.14; " +
    "Settings > Members) or use one that has it"
  );
}

/**
 * Reading the external URL: `GET /v1/settings` (ListSettings) needs `bb.settings.list`, which every built-in
 * workspace role holds on 2.14 (acl.yaml@2.14.0); `GET /v1/settings/bb.workspace.profile` (GetSetting) needs
 * `bb.settings.get`, which a Member lacks.
 */
export const SETTINGS_LIST_ADVICE =
  "reading the external URL needs the permission bb.settings.list (GET /v1/settings), which every built-in " +
  "workspace role holds; a custom role must grant it too";
