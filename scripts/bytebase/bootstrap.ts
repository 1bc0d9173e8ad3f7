// The first steps on a new real Bytebase through its API: the first user (who becomes the workspace admin; Bytebase
// lets `POST /v1/users` through without a login), then a service account holding the workspace admin role.
// 2.14: the role travels in the user's `roles` (backend/api/v1/auth_service.go CreateUser at 2.14.1);
// 3.x: in the workspace IAM policy (backend/api/v1/workspace_service.go SetIamPolicy at 3.4.1).
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

export async function bootstrapUsers(
  url: string,
  version: string,
): Promise<{ admin: Account; serviceAccount: Account }> {
  const legacyRoles = version.startsWith("2.");
  const admin: Account = { email: "admin@example.com", secret: `Bb-${randomBytes(9).toString("hex")}-aA1!` };
  await ok(
    "creating the first user",
    call(url, "POST", "v1/users", {
      email: admin.email,
      title: "Admin",
      userType: "USER",
      password: admin.secret,
    }),
  );
  const token = await login(url, admin);
  const email = "pulumi-gitops@service.bytebase.com";
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
        ...(legacyRoles ? { roles: [ADMIN_ROLE] } : {}),
      },
      token,
    ),
  );
  const serviceAccount: Account = { email, secret: String(created.serviceKey) };
  if (!legacyRoles) await grantWorkspaceAdmin(url, token, email);
  return { admin, serviceAccount };
}

async function grantWorkspaceAdmin(url: string, token: string, email: string): Promise<void> {
  const policy = await ok(
    "reading the workspace IAM policy",
    call(url, "GET", "v1/workspaces/-:getIamPolicy", undefined, token),
  );
  const bindings = (policy.bindings ?? []) as { role: string; members: string[] }[];
  const member = `user:${email}`;
  const adminBinding = bindings.find((b) => b.role === ADMIN_ROLE);
  if (adminBinding) adminBinding.members = [...adminBinding.members, member];
  else bindings.push({ role: ADMIN_ROLE, members: [member] });
  await ok(
    "granting the service account the workspace admin role",
    call(
      url,
      "POST",
      "v1/workspaces/-:setIamPolicy",
      { policy: { ...policy, bindings }, etag: policy.etag },
      token,
    ),
  );
}
