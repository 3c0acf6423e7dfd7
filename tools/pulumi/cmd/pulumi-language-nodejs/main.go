// Command pulumi-language-nodejs is a minimal Node.js language host for the
// Pulumi CLI, written for this repository.
//
// Why it exists: the real language host lives in its own Go module
// (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3), which
// the Go module proxy reachable from our machines does not serve, and no
// Pulumi binary can be downloaded here. The CLI itself (pkg/v3) and the SDK
// (sdk/v3) are served, so we build the CLI from them and supply this host.
//
// What it does: it implements the LanguageRuntime gRPC service from
// sdk/v3/proto closely enough for `pulumi preview/up/refresh/destroy/stack
// output` of JavaScript and TypeScript programs:
//
//   - Run spawns `node <@pulumi/pulumi/cmd/run> --monitor ... <program>`,
//     resolving @pulumi/pulumi from the program directory, and passes config
//     through PULUMI_CONFIG / PULUMI_CONFIG_SECRET_KEYS like the real host.
//     The node process talks straight to the engine's resource monitor.
//   - GetRequiredPackages/GetRequiredPlugins report the resource plugins of
//     the node_modules packages marked {"pulumi": {"resource": true}}.
//   - InstallDependencies runs the package manager's install.
//   - About, GetProgramDependencies, GetPluginInfo, Handshake and
//     RuntimeOptionsPrompts answer with the basics.
//
// RunPlugin runs policy packs (runplugin.go). Everything else (RunPlugin for
// source-based Node.js plugins, code generation, Pack/Link, debugger attach)
// answers Unimplemented; the CLI
// treats Unimplemented as "older language host" where it can.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/cmdutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// bailExitCode is the exit code @pulumi/pulumi's run script uses after it
// has already shown the user an actionable error; the engine should then stop
// without adding its own "non-zero exit code" message.
const bailExitCode = 32

func main() {
	// Older CLIs passed Pulumi.yaml runtime options as flags; current ones
	// send them in ProgramInfo.Options. Accept both (the flags are defaults).
	// Logging flags (-v, --logtostderr) are registered by glog via the logging
	// package, and --tracing by us, because the CLI passes them to plugins.
	tracing := flag.String("tracing", "", "Emit tracing to a Zipkin-compatible tracing endpoint")
	typescript := flag.Bool("typescript", true, "Run TypeScript sources through ts-node")
	tsconfig := flag.String("tsconfig", "", "Path to tsconfig.json to use")
	nodeargs := flag.String("nodeargs", "", "Extra arguments for the node process")
	packagemanager := flag.String("packagemanager", "", "npm, yarn, pnpm or bun")
	_ = flag.String("root", "", "Project root path (ignored; taken from ProgramInfo)")
	flag.Parse()
	logging.InitLogging(false, 0, false)

	// The engine's address is the last positional argument.
	var engineAddress string
	if args := flag.Args(); len(args) > 0 {
		engineAddress = args[len(args)-1]
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Exit when the engine goes away, so no orphaned hosts are left behind.
	if engineAddress != "" {
		if err := rpcutil.Healthcheck(ctx, engineAddress, 5*time.Minute, cancel); err != nil {
			cmdutil.Exit(fmt.Errorf("could not start health check host RPC server: %w", err))
		}
	}
	stop := make(chan bool)
	go func() {
		<-ctx.Done()
		close(stop)
	}()

	h := &host{
		engineAddress: engineAddress,
		tracing:       *tracing,
		defaults: runtimeOptions{
			typescript:     *typescript,
			tsconfig:       *tsconfig,
			nodeargs:       *nodeargs,
			packagemanager: *packagemanager,
		},
	}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: stop,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, h)
			return nil
		},
	})
	if err != nil {
		cmdutil.Exit(fmt.Errorf("could not start language host RPC server: %w", err))
	}
	// The CLI reads the port from our first line of stdout.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		cmdutil.Exit(fmt.Errorf("language host RPC stopped serving: %w", err))
	}
}

type runtimeOptions struct {
	typescript     bool
	tsconfig       string
	nodeargs       string
	packagemanager string
}

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	mu            sync.Mutex
	engineAddress string
	tracing       string
	defaults      runtimeOptions
}

// options merges ProgramInfo.Options (the `runtime.options` of Pulumi.yaml)
// over the flag defaults.
func (h *host) options(info *pulumirpc.ProgramInfo) runtimeOptions {
	o := h.defaults
	m := info.GetOptions().AsMap()
	if v, ok := m["typescript"].(bool); ok {
		o.typescript = v
	}
	if v, ok := m["tsconfig"].(string); ok {
		o.tsconfig = v
	}
	if v, ok := m["nodeargs"].(string); ok {
		o.nodeargs = v
	}
	if v, ok := m["packagemanager"].(string); ok {
		o.packagemanager = v
	}
	return o
}

func (h *host) Handshake(
	_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	if req.GetEngineAddress() != "" {
		h.mu.Lock()
		h.engineAddress = req.GetEngineAddress()
		h.mu.Unlock()
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version.Version}, nil
}

func (h *host) RuntimeOptionsPrompts(
	context.Context, *pulumirpc.RuntimeOptionsRequest,
) (*pulumirpc.RuntimeOptionsResponse, error) {
	return &pulumirpc.RuntimeOptionsResponse{}, nil
}

// programDir is where the program lives: ProgramInfo when sent, else the
// legacy pwd field.
func programDir(info *pulumirpc.ProgramInfo, pwd string) string {
	if d := info.GetProgramDirectory(); d != "" {
		return d
	}
	if pwd != "" {
		return pwd
	}
	wd, _ := os.Getwd()
	return wd
}

// pluginPackage is the part of a package.json that marks a Pulumi package
// whose provider is a plugin binary (pulumi-resource-<name>).
type pluginPackage struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Pulumi  struct {
		Resource bool   `json:"resource"`
		Name     string `json:"name"`
		Version  string `json:"version"`
		Server   string `json:"server"`
	} `json:"pulumi"`
}

// requiredPlugins walks the node_modules directory that node would resolve
// packages from (the nearest one at or above dir), including nested
// node_modules, and returns the plugin packages it finds.
func requiredPlugins(dir string) ([]*pulumirpc.PluginDependency, error) {
	var nm string
	for d := dir; ; d = filepath.Dir(d) {
		if fi, err := os.Stat(filepath.Join(d, "node_modules")); err == nil && fi.IsDir() {
			nm = filepath.Join(d, "node_modules")
			break
		}
		if filepath.Dir(d) == d {
			return nil, nil // nothing installed: nothing required
		}
	}
	seen := map[string]bool{}
	var out []*pulumirpc.PluginDependency
	var walk func(nodeModules string, depth int) error
	visitPkg := func(pkgDir string, depth int) error {
		if b, err := os.ReadFile(filepath.Join(pkgDir, "package.json")); err == nil {
			var p pluginPackage
			if json.Unmarshal(b, &p) == nil && p.Pulumi.Resource {
				name := p.Pulumi.Name
				if name == "" {
					name = strings.TrimPrefix(strings.TrimPrefix(p.Name, "@pulumi/"), "@")
				}
				ver := p.Pulumi.Version
				if ver == "" {
					ver = p.Version
				}
				if ver != "" && !strings.HasPrefix(ver, "v") {
					ver = "v" + ver
				}
				if key := name + "@" + ver; !seen[key] {
					seen[key] = true
					out = append(out, &pulumirpc.PluginDependency{
						Name: name, Kind: "resource", Version: ver, Server: p.Pulumi.Server,
					})
				}
			}
		}
		// Guard against pathological symlink loops.
		if depth < 16 {
			return walk(filepath.Join(pkgDir, "node_modules"), depth+1)
		}
		return nil
	}
	walk = func(nodeModules string, depth int) error {
		entries, err := os.ReadDir(nodeModules)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return nil
			}
			return err
		}
		for _, e := range entries {
			name := e.Name()
			if strings.HasPrefix(name, ".") {
				continue
			}
			p := filepath.Join(nodeModules, name)
			if strings.HasPrefix(name, "@") {
				scoped, err := os.ReadDir(p)
				if err != nil {
					continue
				}
				for _, s := range scoped {
					if err := visitPkg(filepath.Join(p, s.Name()), depth); err != nil {
						return err
					}
				}
				continue
			}
			if err := visitPkg(p, depth); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(nm, 0); err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name+out[i].Version < out[j].Name+out[j].Version })
	return out, nil
}

func (h *host) GetRequiredPlugins(
	_ context.Context, req *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	plugins, err := requiredPlugins(programDir(req.GetInfo(), req.GetPwd())) //nolint:staticcheck
	if err != nil {
		return nil, err
	}
	return &pulumirpc.GetRequiredPluginsResponse{Plugins: plugins}, nil
}

func (h *host) GetRequiredPackages(
	_ context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	plugins, err := requiredPlugins(programDir(req.GetInfo(), ""))
	if err != nil {
		return nil, err
	}
	pkgs := make([]*pulumirpc.PackageDependency, len(plugins))
	for i, p := range plugins {
		pkgs[i] = &pulumirpc.PackageDependency{
			Name: p.Name, Kind: p.Kind, Version: p.Version, Server: p.Server,
		}
	}
	return &pulumirpc.GetRequiredPackagesResponse{Packages: pkgs}, nil
}

// resolveRunScript finds @pulumi/pulumi's cmd/run the way node would from the
// program directory, so the program and the run script share one SDK copy.
func resolveRunScript(ctx context.Context, nodeBin, dir string) (string, error) {
	if p := os.Getenv("PULUMI_LANGUAGE_NODEJS_RUN_PATH"); p != "" {
		return p, nil
	}
	cmd := exec.CommandContext(ctx, nodeBin, "-e",
		"console.log(require.resolve('@pulumi/pulumi/cmd/run'))")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}

func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	dir := programDir(info, req.GetPwd())
	opts := h.options(info)

	nodeBin, err := exec.LookPath("node")
	if err != nil {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not find node on the $PATH: %v", err)}, nil
	}
	runPath, err := resolveRunScript(ctx, nodeBin, dir)
	if err != nil {
		return &pulumirpc.RunResponse{Error: "It looks like the Pulumi SDK has not been installed. " +
			"Have you run npm install or yarn install? (resolving @pulumi/pulumi/cmd/run from " +
			dir + ": " + err.Error() + ")"}, nil
	}

	h.mu.Lock()
	engine := h.engineAddress
	h.mu.Unlock()

	// Command line understood by @pulumi/pulumi/cmd/run (minimist flags, then
	// the program and its arguments).
	args := strings.Fields(opts.nodeargs)
	args = append(args, runPath)
	add := func(k, v string) {
		if v != "" {
			args = append(args, "--"+k, v)
		}
	}
	add("monitor", req.GetMonitorAddress())
	add("engine", engine)
	add("organization", req.GetOrganization())
	add("project", req.GetProject())
	add("root-directory", info.GetRootDirectory())
	add("stack", req.GetStack())
	add("pwd", dir)
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	if req.GetParallel() != 0 {
		add("parallel", fmt.Sprint(req.GetParallel()))
	}
	add("tracing", h.tracing)
	entry := info.GetEntryPoint()
	if entry == "" {
		entry = req.GetProgram() //nolint:staticcheck
	}
	if entry == "" {
		// "." lets the run script use package.json's main/exports or index.js.
		entry = "."
	}
	args = append(args, entry)
	args = append(args, req.GetArgs()...)

	config, err := json.Marshal(orEmpty(req.GetConfig()))
	if err != nil {
		return nil, fmt.Errorf("serializing config: %w", err)
	}
	secretKeys, err := json.Marshal(orEmptySlice(req.GetConfigSecretKeys()))
	if err != nil {
		return nil, fmt.Errorf("serializing config secret keys: %w", err)
	}
	env := append(os.Environ(),
		"PULUMI_CONFIG="+string(config),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretKeys))
	if opts.typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if opts.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+opts.tsconfig)
	}

	logging.V(5).Infof("pulumi-language-nodejs launching: %s %s", nodeBin, strings.Join(args, " "))
	cmd := exec.Command(nodeBin, args...) // #nosec G204 -- running the user's program is the point
	cmd.Dir = dir
	cmd.Env = env
	// The CLI shows the language host's stdout/stderr as program output.
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		_ = os.Stdout.Sync()
		_ = os.Stderr.Sync()
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			if exitErr.ExitCode() == bailExitCode {
				return &pulumirpc.RunResponse{Bail: true}, nil
			}
			return &pulumirpc.RunResponse{
				Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode()),
			}, nil
		}
		return &pulumirpc.RunResponse{
			Error: fmt.Sprintf("Problem executing program (could not run language executor): %v", err),
		}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

func orEmpty(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

func orEmptySlice(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// packageManager picks the install command: the explicit option, else the
// lock file present, else npm.
func packageManager(dir, option string) string {
	if option != "" && option != "auto" {
		return option
	}
	for _, c := range []struct{ file, pm string }{
		{"pnpm-lock.yaml", "pnpm"}, {"yarn.lock", "yarn"}, {"bun.lockb", "bun"}, {"bun.lock", "bun"},
	} {
		if _, err := os.Stat(filepath.Join(dir, c.file)); err == nil {
			return c.pm
		}
	}
	return "npm"
}

func (h *host) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest,
	srv grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	info := req.GetInfo()
	dir := programDir(info, req.GetDirectory()) //nolint:staticcheck
	pm := packageManager(dir, h.options(info).packagemanager)

	cmd := exec.CommandContext(srv.Context(), pm, "install")
	cmd.Dir = dir
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return err
	}
	var sendMu sync.Mutex // grpc streams are not safe for concurrent Send
	var wg sync.WaitGroup
	pump := func(r io.Reader, isErr bool) {
		defer wg.Done()
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			line := append(sc.Bytes(), '\n')
			resp := &pulumirpc.InstallDependenciesResponse{}
			if isErr {
				resp.Stderr = line
			} else {
				resp.Stdout = line
			}
			sendMu.Lock()
			_ = srv.Send(resp)
			sendMu.Unlock()
		}
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("running %s install in %s: %w", pm, dir, err)
	}
	wg.Add(2)
	go pump(stdout, false)
	go pump(stderr, true)
	wg.Wait()
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("%s install in %s failed: %w", pm, dir, err)
	}
	return nil
}

func (h *host) About(ctx context.Context, _ *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	nodeBin, err := exec.LookPath("node")
	if err != nil {
		return nil, fmt.Errorf("could not find node on the $PATH: %w", err)
	}
	out, err := exec.CommandContext(ctx, nodeBin, "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("node --version: %w", err)
	}
	return &pulumirpc.AboutResponse{
		Executable: nodeBin,
		Version:    strings.TrimPrefix(strings.TrimSpace(string(out)), "v"),
	}, nil
}

// GetProgramDependencies lists package.json's dependencies with the versions
// installed in node_modules (the declared range when not installed).
func (h *host) GetProgramDependencies(
	_ context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	dir := programDir(req.GetInfo(), req.GetPwd()) //nolint:staticcheck
	b, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil {
		return nil, fmt.Errorf("reading package.json: %w", err)
	}
	var pkg struct {
		Dependencies    map[string]string `json:"dependencies"`
		DevDependencies map[string]string `json:"devDependencies"`
	}
	if err := json.Unmarshal(b, &pkg); err != nil {
		return nil, fmt.Errorf("parsing package.json: %w", err)
	}
	deps := map[string]string{}
	for k, v := range pkg.Dependencies {
		deps[k] = v
	}
	if req.GetTransitiveDependencies() {
		for k, v := range pkg.DevDependencies {
			deps[k] = v
		}
	}
	names := make([]string, 0, len(deps))
	for k := range deps {
		names = append(names, k)
	}
	sort.Strings(names)
	var out []*pulumirpc.DependencyInfo
	for _, name := range names {
		ver := deps[name]
		if b, err := os.ReadFile(filepath.Join(dir, "node_modules", name, "package.json")); err == nil {
			var p struct {
				Version string `json:"version"`
			}
			if json.Unmarshal(b, &p) == nil && p.Version != "" {
				ver = p.Version
			}
		}
		out = append(out, &pulumirpc.DependencyInfo{Name: name, Version: ver})
	}
	return &pulumirpc.GetProgramDependenciesResponse{Dependencies: out}, nil
}
