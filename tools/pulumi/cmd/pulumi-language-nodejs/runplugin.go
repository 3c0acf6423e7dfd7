package main

// RunPlugin for policy packs (kind "analyzer"). Since v3.1xx the CLI no longer
// looks for the `pulumi-analyzer-policy` shim script: it asks the policy pack's
// language host to run it (pkg/v3 resource/plugin: ExecPlugin → RunPlugin), so
// without this `pulumi preview --policy-pack <dir>` fails with "could not read
// plugin [policy]: method RunPlugin not implemented".
//
// What it does, like the real Node.js host: run
//   node <@pulumi/pulumi/cmd/run-policy-pack> <req.Args…> <policy pack dir>
// in the policy pack's directory (@pulumi/pulumi resolved from there), its
// stdout/stderr streamed back; the pack's analyzer prints its gRPC port on the
// first stdout line and serves until the engine cancels the stream.
// Not done (the real host does): the proxy that hands the stack's config to the
// pack as PULUMI_CONFIG; a pack gets its settings through the policy config
// (--policy-pack-config) instead. Other plugin kinds stay Unimplemented.

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// resolveModule finds a module the way node would from dir.
func resolveModule(ctx context.Context, nodeBin, dir, module string) (string, error) {
	cmd := exec.CommandContext(ctx, nodeBin, "-e", "console.log(require.resolve(process.argv[1]))", module)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}

func (h *host) RunPlugin(req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer) error {
	if req.GetKind() != "analyzer" {
		return status.Errorf(codes.Unimplemented,
			"this minimal language host runs only policy packs (kind analyzer), not %q plugins", req.GetKind())
	}
	ctx := server.Context()
	dir := programDir(req.GetInfo(), req.GetPwd())
	nodeBin, err := exec.LookPath("node")
	if err != nil {
		return fmt.Errorf("could not find node on the $PATH: %w", err)
	}
	runPath, err := resolveModule(ctx, nodeBin, dir, "@pulumi/pulumi/cmd/run-policy-pack")
	if err != nil {
		// The CLI turns this exact text into "the policy pack's dependencies are not installed".
		return fmt.Errorf("Cannot find module '@pulumi/pulumi/cmd/run-policy-pack' from %s: %w", dir, err)
	}
	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	defer closer.Close()

	opts := h.options(req.GetInfo())
	args := strings.Fields(opts.nodeargs)
	args = append(args, runPath)
	args = append(args, req.GetArgs()...)
	// The policy pack's directory goes last: run-policy-pack takes <engine address> <program>.
	args = append(args, dir)

	env := req.GetEnv()
	if opts.typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	logging.V(5).Infof("pulumi-language-nodejs running policy pack: %s %s", nodeBin, strings.Join(args, " "))
	cmd := exec.CommandContext(ctx, nodeBin, args...) // #nosec G204 -- running the policy pack is the point
	cmd.Dir = dir
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil // the engine is done with the pack and cancelled the stream
		}
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return fmt.Errorf("policy pack exited with non-zero exit code: %d", exitErr.ExitCode())
		}
		return fmt.Errorf("problem running the policy pack: %w", err)
	}
	return closer.Close()
}
