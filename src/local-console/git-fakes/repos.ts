// The repositories behind the fake Git providers (Bytebase 2.15 - 3.4 era): their stable ids, branches and the
// webhooks Bytebase's connectors add. A repository exists once a token lists it; tests add branches, read the hooks,
// and can make a Git provider refuse hook URLs it cannot reach (as the cloud services refuse loopback addresses).
import { randomUUID } from "node:crypto";
import type { GitProviderType } from "../../catalog";

export interface FakeHook {
  /** GitLab and GitHub: a number; Bitbucket: `{uuid}`; Azure DevOps: a subscription GUID. */
  readonly id: string;
  readonly url: string;
  /** The request body Bytebase sent. */
  readonly body: Record<string, unknown>;
}

export interface FakeRepo {
  readonly type: GitProviderType;
  /** As the Git provider names it: `platform/db`; Azure DevOps `<organization>/<project>/<repository>`. */
  readonly fullPath: string;
  /** GitLab and GitHub: the numeric id; Bitbucket: `{uuid}`; Azure DevOps: the repository GUID. */
  readonly id: string;
  /** Azure DevOps: the project's GUID. */
  readonly projectId: string;
  readonly branches: string[];
  readonly hooks: FakeHook[];
}

const LOOPBACK_OR_PRIVATE = /^(localhost|127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|\[::1\]|0\.0\.0\.0)/;

export class GitRepos {
  private readonly repos = new Map<string, FakeRepo>();
  private readonly projects = new Map<string, string>();
  private readonly refusing = new Set<GitProviderType>();
  private next = 1000;

  /** The repository (made on first sight, with the branch `main`). */
  repo(type: GitProviderType, fullPath: string): FakeRepo {
    const key = `${type}\n${fullPath.toLowerCase()}`;
    let repo = this.repos.get(key);
    if (!repo) {
      const n = this.next++;
      const project = fullPath.split("/").slice(0, -1).join("/").toLowerCase();
      if (!this.projects.has(project)) this.projects.set(project, randomUUID());
      const id =
        type === "GITLAB" || type === "GITHUB"
          ? String(n)
          : type === "BITBUCKET"
            ? `{${randomUUID()}}`
            : randomUUID();
      repo = { type, fullPath, id, projectId: this.projects.get(project)!, branches: ["main"], hooks: [] };
      this.repos.set(key, repo);
    }
    return repo;
  }

  /** A repository already seen, by its id (GitLab project id, Azure DevOps repository GUID). */
  byId(type: GitProviderType, id: string): FakeRepo | undefined {
    return [...this.repos.values()].find((r) => r.type === type && r.id.toLowerCase() === id.toLowerCase());
  }

  /** The repository holding the hook (Azure DevOps subscriptions belong to the organization, not the repository). */
  withHook(type: GitProviderType, hookId: string): FakeRepo | undefined {
    return [...this.repos.values()].find((r) => r.type === type && r.hooks.some((h) => h.id === hookId));
  }

  addHook(repo: FakeRepo, url: string, body: Record<string, unknown>): FakeHook {
    const n = this.next++;
    const id =
      repo.type === "GITLAB" || repo.type === "GITHUB"
        ? String(n)
        : repo.type === "BITBUCKET"
          ? `{${randomUUID()}}`
          : randomUUID();
    const hook = { id, url, body };
    repo.hooks.push(hook);
    return hook;
  }

  removeHook(repo: FakeRepo, hookId: string): boolean {
    const i = repo.hooks.findIndex((h) => h.id === hookId);
    if (i >= 0) repo.hooks.splice(i, 1);
    return i >= 0;
  }

  /** From now on the type's Git provider refuses (or again accepts) hook URLs on loopback or private addresses. */
  refusePrivateHookUrls(type: GitProviderType, on = true): void {
    if (on) this.refusing.add(type);
    else this.refusing.delete(type);
  }

  /** Whether the type's Git provider refuses this hook URL. */
  refuses(type: GitProviderType, url: string): boolean {
    if (!this.refusing.has(type)) return false;
    try {
      return LOOPBACK_OR_PRIVATE.test(new URL(url).host);
    } catch {
      return true;
    }
  }
}

/** The JSON body of a request, or `{}`. */
export function jsonOf(body: string): Record<string, unknown> {
  try {
    const value = JSON.parse(body) as unknown;
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}
