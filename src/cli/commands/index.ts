import type { Command } from 'commander';
import { register as validate } from './validate.js';
import { register as workflow } from './workflow.js';
import { register as schedule } from './schedule.js';
import { register as data } from './data.js';
import { register as analysis } from './analysis.js';
import { register as ml } from './ml.js';
import { register as gbdt } from './gbdt.js';
import { register as sagemaker } from './sagemaker.js';
import { register as ds } from './ds.js';
import { register as chart } from './chart.js';
import { register as tui } from './tui.js';

/** The order here is the order in `quantflow --help`. */
export function registerAll(program: Command): void {
  validate(program);
  workflow(program);
  schedule(program);
  data(program);
  analysis(program);
  ml(program);
  gbdt(program);
  sagemaker(program);
  ds(program);
  chart(program);
  tui(program);
}
