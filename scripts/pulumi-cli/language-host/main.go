// pulumi-language-nodejs for the real Pulumi CLI built by scripts/pulumi-cli.sh: the Node.js language host.
//
// Pulumi's own language host is a Go module of its own (sdk/nodejs/cmd/pulumi-language-nodejs) that has no tags and
// that the Go module proxy of this workplace does not serve at any version, so the CLI cannot be built with it here.
// This host does, for the programs and policy packs of this repository, what the upstream one does
// (pulumi/pulumi sdk/nodejs/cmd/pulumi-language-nodejs/main.go, read at v3.259.0): it runs
// `@pulumi/pulumi/cmd/run` for a program (Run, constructArguments, constructConfig) and
// `@pulumi/pulumi/cmd/run-policy-pack` for a policy pack (RunPlugin), both resolved from the program's or pack's own
// directory (locateModule), with the same arguments, environment and exit-code handling. Left out: the monitor proxy
// and the synchronous-invoke pipes (optional in @pulumi/pulumi's cmd/run), plugin discovery in node_modules (the
// packages here need no resource plugin: `pulumi-nodejs` is bundled), `pulumi new`/`convert`/`install`, debugging
// and bun. A call it does not implement answers Unimplemented, as the upstream host does for GetRequiredPlugins.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"time"

	"github.com/google/shlex"
	sdk "github.com/pulumi/pulumi/sdk/v3"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/cmdutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
)

// The exit code @pulumi/pulumi's cmd/run uses after it has shown the user an actionable message (upstream's
// nodeJSProcessExitedAfterShowingUserActionableMessage).
const exitedAfterUserMessage = 32

func main() {
	flag.String("tracing", "", "Emit tracing to a Zipkin-compatible tracing endpoint (ignored)")
	runtimeName := flag.String("runtime", "nodejs", "the runtime; only nodejs is supported")
	showVersion := flag.Bool("version", false, "Print the current plugin version and exit")
	flag.Parse()
	if *showVersion {
		fmt.Println(version.Version)
		os.Exit(0)
	}
	if *runtimeName != "nodejs" {
		cmdutil.Exit(fmt.Errorf("unsupported runtime: %s", *runtimeName))
	}
	var engineAddress string
	if args := flag.Args(); len(args) > 0 {
		engineAddress = args[0]
	}

	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt)
	cancelChannel := make(chan bool)
	go func() {
		<-ctx.Done()
		cancel()
		close(cancelChannel)
	}()
	if engineAddress != "" {
		if err := rpcutil.Healthcheck(ctx, engineAddress, 5*time.Minute, cancel); err != nil {
			cmdutil.Exit(fmt.Errorf("could not start health check host RPC server: %w", err))
		}
	}

	cancelCtx, cancelRuns := context.WithCancel(context.Background())
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: cancelChannel,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, &host{
				engineAddress: engineAddress, cancelCtx: cancelCtx, cancelRuns: cancelRuns,
			})
			return nil
		},
	})
	if err != nil {
		cmdutil.Exit(fmt.Errorf("could not start language host RPC server: %w", err))
	}
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		cmdutil.Exit(fmt.Errorf("language host RPC stopped serving: %w", err))
	}
}

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	engineAddress string
	cancelCtx     context.Context
	cancelRuns    context.CancelFunc
}

func (h *host) Handshake(
	ctx context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.engineAddress = req.EngineAddress
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) GetPluginInfo(ctx context.Context, _ *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version.Version}, nil
}

// GetRequiredPackages: no package of this repository's programs needs a resource plugin (`pulumi-nodejs`, which
// serves dynamic resources, is bundled with the CLI).
func (h *host) GetRequiredPackages(
	ctx context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

func (h *host) Cancel(ctx context.Context, _ *emptypb.Empty) (*emptypb.Empty, error) {
	h.cancelRuns()
	return &emptypb.Empty{}, nil
}

// locateModule resolves a module from dir with node's own require.resolve, as upstream's locateModule does.
func locateModule(mod, dir, nodeBin string, isPlugin bool) (string, error) {
	install := "pulumi install"
	if isPlugin {
		install = "npm install in " + dir
	}
	script := fmt.Sprintf(`try { console.log(require.resolve('%s')); } catch (error) { if (error.code === `+
		`'MODULE_NOT_FOUND') { console.error("It looks like the Pulumi SDK has not been installed. Have you run %s?") `+
		`} else { console.error(error.message); } process.exit(1); }`, mod, install)
	cmd := exec.Command(nodeBin, "-e", script)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return "", errors.New(string(exit.Stderr))
		}
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}

// options reads the project's `runtime.options` as upstream's parseOptions does (typescript defaults to true).
func options(info *pulumirpc.ProgramInfo) (typescript bool, tsconfig string, nodeargs []string, err error) {
	typescript = true
	opts := info.GetOptions().AsMap()
	if v, ok := opts["typescript"]; ok {
		b, ok := v.(bool)
		if !ok {
			return false, "", nil, errors.New("typescript option must be a boolean")
		}
		typescript = b
	}
	if v, ok := opts["tsconfig"].(string); ok {
		tsconfig = v
	}
	if v, ok := opts["nodeargs"].(string); ok {
		nodeargs, err = shlex.Split(v)
	}
	return typescript, tsconfig, nodeargs, err
}

func nodeEnv(env []string, typescript bool, tsconfig string) []string {
	if typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+tsconfig)
	}
	return env
}

func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	nodeBin, err := exec.LookPath("node")
	if err != nil {
		return &pulumirpc.RunResponse{Error: "could not find node on the $PATH: " + err.Error()}, nil
	}
	runPath := os.Getenv("PULUMI_LANGUAGE_NODEJS_RUN_PATH")
	if runPath == "" {
		runPath = "@pulumi/pulumi/cmd/run"
	}
	if runPath, err = locateModule(runPath, req.Info.ProgramDirectory, nodeBin, false); err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}

	// constructArguments
	args := []string{runPath}
	arg := func(k, v string) {
		if v != "" {
			args = append(args, "--"+k, v)
		}
	}
	arg("monitor", req.GetMonitorAddress())
	arg("engine", h.engineAddress)
	arg("organization", req.GetOrganization())
	arg("project", req.GetProject())
	arg("root-directory", req.GetInfo().GetRootDirectory())
	arg("stack", req.GetStack())
	arg("pwd", req.Info.ProgramDirectory)
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	arg("parallel", strconv.Itoa(int(req.GetParallel())))
	args = append(args, req.Info.EntryPoint)
	args = append(args, req.GetArgs()...)

	// constructConfig: keys in the old `<namespace>:config:<name>` form, as upstream still sends them.
	cfg := map[string]string{}
	for k, v := range req.GetConfig() {
		key, err := config.ParseKey(k)
		if err != nil {
			return &pulumirpc.RunResponse{Error: "failed to serialize configuration: " + err.Error()}, nil
		}
		cfg[key.Namespace()+":config:"+key.Name()] = v
	}
	cfgJSON, _ := json.Marshal(cfg)
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretJSON, _ := json.Marshal(secretKeys)

	typescript, tsconfig, nodeargs, err := options(req.Info)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	env := append(os.Environ(), "PULUMI_CONFIG="+string(cfgJSON), "PULUMI_CONFIG_SECRET_KEYS="+string(secretJSON))
	env = nodeEnv(env, typescript, tsconfig)

	cmdCtx, cmdCancel := context.WithCancel(h.cancelCtx)
	defer cmdCancel()
	context.AfterFunc(ctx, cmdCancel)
	cmd := exec.CommandContext(cmdCtx, nodeBin, append(nodeargs, args...)...)
	cmd.Cancel = func() error {
		if err := cmd.Process.Signal(os.Interrupt); err != nil {
			return cmd.Process.Kill()
		}
		return nil
	}
	cmd.WaitDelay = 5 * time.Second
	// Node may change its stdio to non-blocking; copy through a wrapper as upstream's runWithOutput does.
	cmd.Stdout = struct{ io.Writer }{os.Stdout}
	cmd.Stderr = struct{ io.Writer }{os.Stderr}
	cmd.Env = env
	if err := cmd.Run(); err != nil {
		_ = os.Stdout.Sync()
		_ = os.Stderr.Sync()
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			return &pulumirpc.RunResponse{
				Error: fmt.Sprintf("Problem executing program (could not run language executor): %v", err),
			}, nil
		}
		switch code := exit.ExitCode(); code {
		case 0:
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited unexpectedly: %v", exit)}, nil
		case exitedAfterUserMessage:
			return &pulumirpc.RunResponse{Bail: true}, nil
		default:
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", code)}, nil
		}
	}
	return &pulumirpc.RunResponse{}, nil
}

// RunPlugin starts a policy pack (kind analyzer) with `@pulumi/pulumi/cmd/run-policy-pack` from the pack's own
// directory, or another plugin with `@pulumi/pulumi/cmd/run-plugin`, as upstream's RunPlugin does, including its
// policy proxy (sdk/v3 policy_proxy.go) that hands the stack's configuration to the pack's environment.
func (h *host) RunPlugin(req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer) error {
	ctx := server.Context()
	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	defer closer.Close()

	nodeBin, err := exec.LookPath("node")
	if err != nil {
		return err
	}
	typescript, tsconfig, nodeargs, err := options(req.Info)
	if err != nil {
		return err
	}
	env := nodeEnv(req.Env, typescript, tsconfig)

	analyzer := req.Kind == string(apitype.AnalyzerPlugin)
	runPath := "@pulumi/pulumi/cmd/run-policy-pack"
	if !analyzer {
		if runPath = os.Getenv("PULUMI_LANGUAGE_NODEJS_RUN_PATH"); runPath == "" {
			runPath = "@pulumi/pulumi/cmd/run-plugin"
		}
	}
	if runPath, err = locateModule(runPath, req.Info.ProgramDirectory, nodeBin, true); err != nil {
		return err
	}
	args := append([]string{runPath}, nodeargs...)
	if analyzer {
		args = append(append(args, req.Args...), req.Info.ProgramDirectory)
	} else {
		args = append(append(args, req.Info.ProgramDirectory), req.Args...)
	}

	var proxy *sdk.PolicyProxy
	if analyzer {
		if proxy, stdout, err = sdk.NewPolicyProxy(ctx, stdout); err != nil {
			return fmt.Errorf("could not start policy pack proxy: %w", err)
		}
		stack, err := proxy.AwaitConfiguration(ctx)
		if err != nil {
			return fmt.Errorf("could not get stack configuration: %w", err)
		}
		if stack != nil {
			add := func(k, v string) {
				if v != "" {
					env = append(env, k+"="+v)
				}
			}
			add("PULUMI_NODEJS_ORGANIZATION", stack.Organization)
			add("PULUMI_NODEJS_PROJECT", stack.Project)
			add("PULUMI_NODEJS_STACK", stack.Stack)
			add("PULUMI_NODEJS_DRY_RUN", strconv.FormatBool(stack.DryRun))
			if stack.Config != nil {
				cfg, err := json.Marshal(stack.Config)
				if err != nil {
					return fmt.Errorf("could not marshal stack configuration: %w", err)
				}
				add("PULUMI_CONFIG", string(cfg))
			}
		}
	}

	cmd := exec.CommandContext(ctx, nodeBin, args...)
	cmd.Dir = req.Pwd
	if analyzer {
		cmd.Dir = req.Info.ProgramDirectory // policy packs always ran in their own directory
	}
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = stdout, stderr
	run := func() error {
		if err := cmd.Start(); err != nil {
			return err
		}
		if proxy != nil {
			if err := proxy.Attach(ctx, cmd); err != nil {
				return fmt.Errorf("could not attach policy pack proxy: %w", err)
			}
			return nil
		}
		return cmd.Wait()
	}
	if err := run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return fmt.Errorf("Program exited with non-zero exit code: %d", exit.ExitCode())
		}
		return fmt.Errorf("Problem executing plugin program (could not run language executor): %w", err)
	}
	return closer.Close()
}
