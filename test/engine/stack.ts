// A stack as the Pulumi CLI manages one: its program, config (secret keys included), policy packs and a state
// file, with preview, up, refresh and destroy. The test engine behind it runs dynamic resources only.
import { deploy } from "./deploy";
import type { PolicyPackOptions } from "./analyzer";
import type { StackOptions } from "./host";
import { destroy, refresh } from "./operations";
import { loadState, saveState, type SaveOptions, type StackState } from "./state-file";
import type { EngineRun } from "./types";

export interface LocalStackOptions extends StackOptions {
  /** Keys of `config` set with `pulumi config set --secret`. */
  secretKeys?: string[];
  /** The JSON state file (created on the first up). */
  stateFile: string;
  /** Encrypts the state's secrets, like PULUMI_CONFIG_PASSPHRASE for a passphrase secrets provider. */
  passphrase: string;
  /** Policy packs for preview and up, as `--policy-pack <dir> --policy-pack-config <file>`. */
  policyPacks?: PolicyPackOptions[];
  /** Called with each diagnostic line of a preview or up as it is reported. */
  onDiagnostic?: (line: string) => void;
  /** `--show-secrets`: check failures print secret inputs in plaintext. */
  showSecrets?: boolean;
  /** The checkpoint's stack name and the passphrase secrets manager's state (the stack config's encryptionsalt),
   * as the CLI stand-in gives them; without them the file's name and a new salt. */
  checkpoint?: SaveOptions;
}

export class LocalStack {
  private config: Record<string, string>;
  private secretKeys: string[];

  constructor(private readonly options: LocalStackOptions) {
    this.config = { ...options.config };
    this.secretKeys = [...(options.secretKeys ?? [])];
  }

  /** `pulumi config set [--secret] <key> <value>`; `undefined` removes the key (`pulumi config rm`). */
  setConfig(key: string, value: string | undefined, secret = false): void {
    if (value === undefined) delete this.config[key];
    else this.config[key] = value;
    this.secretKeys = this.secretKeys.filter((k) => k !== key);
    if (secret && value !== undefined) this.secretKeys.push(key);
  }

  /** The state file's path. */
  get stateFile(): string {
    return this.options.stateFile;
  }

  /** The state file's content, secrets decrypted (secret stack outputs as secret markers). */
  state(): StackState {
    return loadState(this.options.stateFile, this.options.passphrase);
  }

  preview(): Promise<EngineRun> {
    return this.deploy(true);
  }

  /** `pulumi up --yes` (previewing first unless `skipPreview`, as `--skip-preview`). */
  async up(options: { skipPreview?: boolean } = {}): Promise<EngineRun> {
    return this.deploy(false, options.skipPreview);
  }

  /**
   * `pulumi refresh --yes [--run-program] [--clear-pending-creates]`. Like every run, it keeps the pending creates of
   * the prior state and drops other pending operations (pkg/backend/snapshot.go snap()); `clearPendingCreates`
   * removes those too (pkg/cmd/pulumi/operations/refresh.go filterMapPendingCreates).
   */
  async refresh(options: { runProgram?: boolean; clearPendingCreates?: boolean } = {}) {
    const prior = this.state();
    const result = await refresh({ ...this.stackOptions(), ...options, state: prior.resources });
    const pendingOperations = options.clearPendingCreates ? [] : pendingCreates(prior);
    this.save({ ...prior, resources: result.state, pendingOperations });
    return result;
  }

  /** `pulumi destroy --yes [--run-program]`. */
  async destroy(options: { runProgram?: boolean } = {}) {
    const prior = this.state();
    const result = await destroy({
      ...this.stackOptions(),
      ...options,
      secretKeys: this.secretKeys,
      state: prior.resources,
      onSnapshot: (snap) =>
        this.save({
          ...prior,
          resources: snap.resources,
          pendingOperations: [...snap.pendingOperations, ...pendingCreates(prior)],
        }),
    });
    this.save({
      resources: result.state,
      outputs: result.ok ? {} : prior.outputs,
      pendingOperations: pendingCreates(prior),
    });
    return result;
  }

  private async deploy(preview: boolean, skipPreview = false): Promise<EngineRun> {
    const prior = this.state();
    const run = await deploy({
      ...this.stackOptions(),
      secretKeys: this.secretKeys,
      priorState: prior.resources,
      pendingOperations: prior.pendingOperations,
      policyPacks: this.options.policyPacks,
      preview,
      skipPreview,
      onDiagnostic: this.options.onDiagnostic,
      showSecrets: this.options.showSecrets,
      // Every step's start and end is written at once, as the CLI's SnapshotManager does.
      onSnapshot: (snap) => this.save({ ...snap, outputs: prior.outputs }),
    });
    // Like the engine: an update saves what it did, even when it failed part way.
    if (!preview)
      this.save({
        resources: run.state,
        outputs: run.ok ? run.outputs : prior.outputs,
        pendingOperations: run.pendingOperations,
      });
    return run;
  }

  private stackOptions(): StackOptions {
    const { programDir, project, stack, env } = this.options;
    return { programDir, project, stack, env, config: this.config };
  }

  private save(state: StackState): void {
    saveState(this.options.stateFile, this.options.passphrase, state, this.options.checkpoint);
  }
}

const pendingCreates = (s: StackState) => (s.pendingOperations ?? []).filter((op) => op.type === "creating");
