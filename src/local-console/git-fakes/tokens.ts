// The access tokens the fake Git providers know (Bytebase 2.15 - 3.4 era): what each may do, whom it belongs to,
// when it expires, and the repositories its user sees. Tests issue them; the fake APIs answer by them.
import { cryptoRng, chars, ALNUM } from "../oauth-fakes/credentials";
import type { GitProviderType } from "../../catalog";
import { GitRepos } from "./repos";

const HEX = "0123456789abcdef";
const LOWER_BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

export interface IssueTokenInput {
  /** GitLab scopes, GitHub classic scopes, Bitbucket permissions or Azure DevOps scopes; default: what Bytebase needs. */
  scopes?: string[];
  /** GitHub: a fine-grained token (no X-OAuth-Scopes header). */
  fineGrained?: boolean;
  /** When the token stops working; absent = never. */
  expiresAt?: Date;
  /** Whether the token's user is admin (GitHub, Bitbucket) or Maintainer (GitLab) of its repositories; default true. */
  admin?: boolean;
  /** The repositories' full paths; default `platform/db`. */
  repositories?: string[];
  /** Bitbucket: the username; default `bytebase-bot`. */
  username?: string;
  /** Azure DevOps: the organizations the user belongs to (default `contoso`); `scopedToOneOrganization` refuses the profile. */
  organizations?: string[];
  scopedToOneOrganization?: boolean;
}

export interface IssuedToken extends Required<Omit<IssueTokenInput, "expiresAt">> {
  readonly type: GitProviderType;
  /** As Bytebase's `accessToken` takes it (Bitbucket: `<username>:<app password>`). */
  readonly token: string;
  readonly expiresAt?: Date;
  readonly id: number;
}

/** What Bytebase's wizard asks of a token (console-versions.md; the catalog's access-token sections). */
const DEFAULT_SCOPES: Record<GitProviderType, string[]> = {
  GITLAB: ["api", "read_repository"],
  GITHUB: ["repo"],
  BITBUCKET: ["account", "team", "project", "webhook", "repository:write", "pullrequest:write"],
  AZURE_DEVOPS: ["vso.code", "vso.profile", "vso.project", "vso.threads_full"],
};

function newSecret(type: GitProviderType, fineGrained: boolean): string {
  if (type === "GITLAB") return `glpat-${chars(cryptoRng, ALNUM, 20)}`;
  if (type === "GITHUB")
    return fineGrained
      ? `github_pat_${chars(cryptoRng, ALNUM, 22)}_${chars(cryptoRng, ALNUM, 59)}`
      : `ghp_${chars(cryptoRng, ALNUM, 36)}`;
  if (type === "BITBUCKET")
    return `ATBB${chars(cryptoRng, ALNUM, 28)}${chars(cryptoRng, HEX, 8).toUpperCase()}`;
  return chars(cryptoRng, LOWER_BASE32, 52);
}

export class GitTokens {
  private readonly tokens: IssuedToken[] = [];
  /** The repositories the tokens see: their ids, branches and webhooks. */
  readonly repos = new GitRepos();

  constructor(readonly now: () => number) {}

  issue(type: GitProviderType, input: IssueTokenInput = {}): IssuedToken {
    const fineGrained = type === "GITHUB" && (input.fineGrained ?? false);
    const username = input.username ?? "bytebase-bot";
    const secret = newSecret(type, fineGrained);
    const issued: IssuedToken = {
      type,
      id: this.tokens.length + 1,
      token: type === "BITBUCKET" ? `${username}:${secret}` : secret,
      scopes: input.scopes ?? DEFAULT_SCOPES[type],
      fineGrained,
      admin: input.admin ?? true,
      repositories: input.repositories ?? ["platform/db"],
      username,
      organizations: input.organizations ?? ["contoso"],
      scopedToOneOrganization: input.scopedToOneOrganization ?? false,
      ...(input.expiresAt ? { expiresAt: input.expiresAt } : {}),
    };
    this.tokens.push(issued);
    return issued;
  }

  /** The live token of a type with this value (expired ones are refused as Git providers refuse them). */
  find(type: GitProviderType, token: string | undefined): IssuedToken | undefined {
    const found = this.tokens.find((t) => t.type === type && t.token === token);
    if (!found || (found.expiresAt && found.expiresAt.getTime() <= this.now())) return undefined;
    return found;
  }

  /** Whether the token's user sees the repository (case-insensitively, as the Git providers route paths). */
  sees(token: IssuedToken, fullPath: string): boolean {
    return token.repositories.some((r) => r.toLowerCase() === fullPath.toLowerCase());
  }

  revoke(token: string): void {
    const i = this.tokens.findIndex((t) => t.token === token);
    if (i >= 0) this.tokens.splice(i, 1);
  }
}

/** The token of a `Bearer`/`token` header (GitHub, GitLab) or GitLab's `PRIVATE-TOKEN`. */
export function bearer(headers: Record<string, string | string[] | undefined>): string | undefined {
  const auth = String(headers.authorization ?? "");
  const m = /^(?:Bearer|token) (.+)$/i.exec(auth);
  return m?.[1] ?? (typeof headers["private-token"] === "string" ? headers["private-token"] : undefined);
}

/** The `user:password` of a Basic header (Bitbucket: the token; Azure DevOps: `:` and the PAT). */
export function basic(headers: Record<string, string | string[] | undefined>): string | undefined {
  const m = /^Basic (.+)$/i.exec(String(headers.authorization ?? ""));
  return m ? Buffer.from(m[1]!, "base64").toString("utf8") : undefined;
}
