// The first steps on a new real Bytebase through its API: the first user (who becomes the workspace admin; Bytebase
// lets `POST /v1/users` through without a login), then a service account holding the workspace admin role.
// 2.14: the role travels in the user's `roles` (backend/api/v1/auth_service.go CreateUser at 2.14.1);
// 3.4: in the workspace IAM policy (backend/api/v1/workspace_service.go SetIamPolicy at 3.4.1); 3.21: the first user
// signs up (`POST /v1/auth/signup`) and service accounts have their own API (service_account_service.go at 3.21.1).
import { randomBytes } from "node:crypto";

export interface Account {
  email: string;
  /** A user's password, or a service account's key (`bbs_...`). */
  secret: string;
}

const ADMIN_ROLE = "roles/workspaceAdmin";

export async function call(
  url: string,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<{ status: number; json: Record<string, unknown>; text: string }> {
  const res = await fetch(`${url}/${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not JSON: the caller reports the text
  }
  return { status: res.status, json, text };
}

async function ok(what: string, answer: ReturnType<typeof call>): Promise<Record<string, unknown>> {
  const { status, json, text } = await answer;
  if (status < 200 || status > 299) throw new Error(`${what} failed: ${status} ${text.slice(0, 500)}`);
  return json;
}

export async function login(url: string, account: Account): Promise<string> {
  const answer = await ok(
    `logging in as ${account.email}`,
    call(url, "POST", "v1/auth/login", { email: account.email, password: account.secret }),
  );
  return String(answer.token);
}

export type BootstrapMode = "user-roles" | "workspace-iam" | "signup";

const ADMIN_EMAIL = "admin@example.com";
const SERVICE_ACCOUNT_ID = "pulumi-gitops";

/** Makes the admin and an admin service account, the way the release at hand allows (versions.json `bootstrap`). */
export async function bootstrapUsers(
  url: string,
  mode: BootstrapMode,
): Promise<{ admin: Account; serviceAccount: Account }> {
  const admin: Account = { email: ADMIN_EMAIL, secret: `Bb-${randomBytes(9).toString("hex")}-aA1!` };
  if (mode === "signup") {
    // 3.15+ (auth_service.go Signup at 3.21.1): the first sign-up provisions the workspace and owns it; its token
    // comes only as a cookie, so log in after.
    await ok(
      "signing up the first user",
      call(url, "POST", "v1/auth/signup", { email: admin.email, title: "Admin", password: admin.secret }),
    );
  } else {
    await ok(
      "creating the first user",
      call(url, "POST", "v1/users", {
        email: admin.email,
        title: "Admin",
        userType: "USER",
        password: admin.secret,
      }),
    );
  }
  const token = await login(url, admin);
  // 3.4 takes "workspaces/-" for its one workspace; 3.21 wants the workspace's own name ("workspace mismatch").
  const workspace =
    mode === "signup"
      ? String(
          (await ok("reading the workspace", call(url, "GET", "v1/workspaces/-", undefined, token))).name,
        )
      : "workspaces/-";
  const serviceAccount = await createServiceAccount(url, token, mode, workspace);
  if (mode !== "user-roles") {
    const member = `${mode === "signup" ? "serviceAccount" : "user"}:${serviceAccount.email}`;
    await grantWorkspaceAdmin(url, token, workspace, member);
  }
  return { admin, serviceAccount };
}

async function createServiceAccount(
  url: string,
  token: string,
  mode: BootstrapMode,
  workspace: string,
): Promise<Account> {
  if (mode === "signup") {
    // ServiceAccountService (3.15+): `<id>@service.bytebase.com`, its key output once.
    const created = await ok(
      "creating the service account",
      call(
        url,
        "POST",
        `v1/${workspace}/serviceAccounts?serviceAccountId=${SERVICE_ACCOUNT_ID}`,
        { title: "pulumi-bytebase-gitops" },
        token,
      ),
    );
    return { email: String(created.email), secret: String(created.serviceKey) };
  }
  const email = `${SERVICE_ACCOUNT_ID}@service.bytebase.com`;
  const created = await ok(
    "creating the service account",
    call(
      url,
      "POST",
      "v1/users",
      {
        email,
        title: "pulumi-bytebase-gitops",
        userType: "SERVICE_ACCOUNT",
        ...(mode === "user-roles" ? { roles: [ADMIN_ROLE] } : {}),
      },
      token,
    ),
  );
  return { email, secret: String(created.serviceKey) };
}

async function grantWorkspaceAdmin(
  url: string,
  token: string,
  workspace: string,
  member: string,
): Promise<void> {
  const policy = await ok(
    "reading the workspace IAM policy",
    call(url, "GET", `v1/${workspace}:getIamPolicy`, undefined, token),
  );
  const bindings = (policy.bindings ?? []) as { role: string; members: string[] }[];
  const adminBinding = bindings.find((b) => b.role === ADMIN_ROLE);
  if (adminBinding) adminBinding.members = [...adminBinding.members, member];
  else bindings.push({ role: ADMIN_ROLE, members: [member] });
  await ok(
    "granting the service account the workspace admin role",
    call(
      url,
      "POST",
      `v1/${workspace}:setIamPolicy`,
      { policy: { ...policy, bindings }, etag: policy.etag },
      token,
    ),
  );
}
