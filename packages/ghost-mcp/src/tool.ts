import type { Ghost } from '@ghost/core';
import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';

/** What every tool call works with: the caller's Ghost, and this server's settings. */
export interface ServerContext {
  ghost: Ghost;
  /** Where relative paths (`cwd`, a project file) start, and the directory `here` means. */
  cwd: string;
  /** The environment tasks inherit. */
  env: NodeJS.ProcessEnv;
  /** The longest one call blocks, in ms (see long-call.ts). */
  callMs: number;
}

/** What one call has besides its arguments. */
export interface CallContext {
  /** Aborted when the client cancels the call or goes away. */
  signal: AbortSignal;
  /** A progress notification, if the client asked for them with a progress token; else nothing. */
  progress(progress: number, total: number, message: string): void;
}

/** A tool's successful result. */
export interface ToolReply<T> {
  /** The result: the call's structuredContent, and as JSON its first text item unless `text` is given. */
  value: T;
  /** Text for a reader in place of the JSON (a log's lines); omitted when empty. */
  text?: string | undefined;
  /** What the reader should know besides: what was cut, what to call next. */
  notes?: string[] | undefined;
}

/**
 * One tool: its name, words, argument shape and result schema, and what it does. Arguments
 * come checked against `input` (an unknown key is refused); the result is checked against
 * `output`, which clients get as the tool's outputSchema.
 */
export interface Tool<In extends z.ZodRawShape = z.ZodRawShape, Out extends z.ZodType<Record<string, unknown>> = z.ZodType<Record<string, unknown>>> {
  name: string;
  title: string;
  description: string;
  input: In;
  output: Out;
  annotations: ToolAnnotations;
  call(args: z.output<z.ZodObject<In>>, server: ServerContext, call: CallContext): Promise<ToolReply<z.output<Out>>>;
}

/**
 * Any tool, for lists of them: each tool's `call` takes its own arguments, which no single
 * argument type covers (the server passes each tool the arguments its own schema checked).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTool = Tool<any, any>;

/** A failure whose message is the tool error's text as it is (other errors become one line). */
export class ToolFailure extends Error {}

/** A tool, with its arguments' and result's types taken from its schemas. */
export function defineTool<In extends z.ZodRawShape, Out extends z.ZodType<Record<string, unknown>>>(tool: Tool<In, Out>): Tool<In, Out> {
  return tool;
}

/** A tool's arguments: an unknown key (`tail` for `lines`) is an error that names it, not ignored. */
export function argsSchema(shape: z.ZodRawShape): z.ZodObject {
  return z.strictObject(shape);
}

export const taskRef = z.string().min(1).describe('The task: its name, its id, or a unique prefix of its id');
export const taskRefs = z.array(taskRef).min(1);

/** A path as a tool argument: relative ones start from the server's directory. */
export function serverPath(server: ServerContext, path: string | undefined): string {
  return path === undefined ? server.cwd : isAbsolute(path) ? path : resolve(server.cwd, path);
}

export function seconds(value: number | undefined): number | undefined {
  return value === undefined ? undefined : value * 1000;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
