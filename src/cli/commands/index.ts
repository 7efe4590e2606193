import type { Command } from 'commander';
import * as backfill from './backfill.js';
import * as checkConfig from './check-config.js';
import * as consume from './consume.js';
import * as demo from './demo.js';
import * as irn from './irn.js';
import * as produce from './produce.js';
import * as reconcile from './reconcile.js';
import * as replay from './replay.js';
import * as run from './run.js';
import * as sandbox from './sandbox.js';
import * as topics from './topics.js';
import * as validate from './validate.js';
import * as writeBack from './write-back.js';

/**
 * Every sub-command, in the order `--help` lists them. A command module exports `register(program)`
 * and imports its heavy dependencies inside its action, so start-up stays cheap.
 */
export function registerCommands(program: Command): void {
  demo.register(program);
  run.register(program);
  checkConfig.register(program);
  topics.register(program);
  produce.register(program);
  consume.register(program);
  replay.register(program);
  backfill.register(program);
  reconcile.register(program);
  writeBack.register(program);
  validate.register(program);
  irn.register(program);
  sandbox.register(program);
}
