import { Command } from 'clipanion';
import { VERSION } from '../version.js';
import { GhostCommand } from './base.js';

export class McpCommand extends GhostCommand {
  static override paths = [['mcp']];

  static override usage = Command.Usage({
    description: 'serve ghost to AI agents over MCP (stdio)',
    details: `
      Runs a Model Context Protocol server on stdin and stdout, for coding agents and other MCP clients. Its tools do what the commands of the same names do (run, list, log, stop, restart, wait, up, down, and more); a client lists them, each with its input and output schema, and the README has one example per tool. Configure your client to start \`ghost mcp\`; you do not run it by hand. For clients configured with an \`mcpServers\` JSON object:

        { "mcpServers": { "ghost": { "command": "ghost", "args": ["mcp"] } } }

      Results are JSON (the shapes of \`--json\`), never environment values; logs are sanitised and paged. A failure (task not found, command not found, ...) is a tool error with one line of text; the server keeps serving. Tasks started through it keep running after the client goes away, like any ghost task.

      Output: JSON-RPC messages on stdout, one per line (MCP's stdio transport); nothing else is written there. Errors that end the server go to stderr.

      Exit codes: 0 the client disconnected (closed stdin); 1 the server could not start (for example, an unusable data directory).
    `,
    examples: [
      ['Serve MCP on stdio (what an MCP client runs)', 'ghost mcp'],
      ["Keep an agent's tasks apart from yours", 'GHOST_DATA_DIR=~/.local/share/ghost-agent ghost mcp'],
      ['Try the tools interactively in the MCP Inspector', 'npx @modelcontextprotocol/inspector ghost mcp'],
    ],
  });

  protected override async run(): Promise<number> {
    // Loaded only here: the SDK is large, and no other command needs it.
    const { serveStdio } = await import('@ghost/mcp');
    await serveStdio(this.ghost, { cwd: this.context.cwd, env: this.context.env, version: VERSION });
    return 0;
  }
}
