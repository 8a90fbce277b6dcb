/**
 * The StockPipeline definition quantflow generates (SageMaker's pipeline definition JSON, version
 * 2020-12-01): the original's parameters and steps, made from the terminal instead of a notebook.
 *
 *   StockProcess  (Processing, our generated preprocess.py in the XGBoost image) -> train / validation / test / inference
 *   StockTrain    (Training, built-in XGBoost 1.7-1, the original's hyper-parameters, text/csv channels)
 *   StockModel    (Model, the trained artifacts in the XGBoost image)
 *   StockEval     (Processing, our generated evaluate.py -> evaluation.json)
 *   StockInference(Transform: InputFilter "$[1:]" drops the `<date>$<code>` column on the way in,
 *                  JoinSource "Input" + OutputFilter "$[0,-1]" give `<date>$<code>,prediction` lines)
 *
 * Only plain strings and {"Get": ...} are used where the published schema's StringArgumentValue
 * applies (it allows no Std:Join there), so intermediate outputs go to fixed prefixes under the
 * bucket (each execution overwrites them; the transform output goes to the OutputPrefix parameter).
 */
import { xgboostImageUri, XGBOOST_VERSION } from './image-uris.js';

export const DEFAULT_PIPELINE_NAME = 'StockPipeline';
export const DEFAULT_INSTANCE_TYPE = 'ml.m5.xlarge';
export const DEFAULT_KEY_PREFIX = 'stock_pipeline';

/** The original's hyper-parameters (ml.md §1), as the strings SageMaker wants. */
export const XGBOOST_HYPERPARAMETERS: Readonly<Record<string, string>> = {
  objective: 'binary:logistic',
  num_round: '500',
  max_depth: '5',
  eta: '0.2',
  gamma: '4',
  min_child_weight: '6',
  subsample: '0.7',
};

export interface PipelineOptions {
  bucket: string;
  region: string;
  roleArn: string;
  instanceType?: string;
  /** Key prefix under the bucket for the scripts and intermediate outputs (default stock_pipeline). */
  prefix?: string;
}

type Get = { Get: string };
export type StringValue = string | Get;
export interface PipelineDefinition {
  Version: '2020-12-01';
  Metadata: Record<string, string>;
  Parameters: { Name: string; Type: 'String' | 'Integer' | 'Float' | 'Boolean'; DefaultValue?: string | number | boolean }[];
  Steps: { Name: string; Type: string; DependsOn?: string[]; Description?: string; Arguments: Record<string, unknown> }[];
}

const get = (path: string): Get => ({ Get: path });
const param = (name: string): Get => get(`Parameters.${name}`);
const processed = (output: string): Get => get(`Steps.StockProcess.ProcessingOutputConfig.Outputs['${output}'].S3Output.S3Uri`);

function keyPrefix(opts: PipelineOptions): string {
  return (opts.prefix ?? DEFAULT_KEY_PREFIX).replace(/^\/+|\/+$/g, '');
}

/** Where `deploy` puts the generated scripts. */
export function scriptUris(opts: PipelineOptions): { preprocess: string; evaluate: string } {
  const base = `s3://${opts.bucket}/${keyPrefix(opts)}/code`;
  return { preprocess: `${base}/preprocess.py`, evaluate: `${base}/evaluate.py` };
}

export function defaultOutputPrefix(bucket: string): string {
  return `s3://${bucket}/stock_out/`;
}

const CODE_DIR = '/opt/ml/processing/input/code';

function s3Input(name: string, uri: StringValue, localPath: string) {
  return {
    InputName: name,
    S3Input: { S3Uri: uri, LocalPath: localPath, S3DataType: 'S3Prefix', S3InputMode: 'File', S3DataDistributionType: 'FullyReplicated', S3CompressionType: 'None' },
  };
}

function s3Output(name: string, uri: string, localPath: string) {
  return { OutputName: name, S3Output: { S3Uri: uri, LocalPath: localPath, S3UploadMode: 'EndOfJob' } };
}

function channel(name: string, uri: StringValue) {
  return { ChannelName: name, ContentType: 'text/csv', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: uri, S3DataDistributionType: 'FullyReplicated' } } };
}

function cluster(instanceTypeParam: string) {
  return { ClusterConfig: { InstanceCount: 1, InstanceType: param(instanceTypeParam), VolumeSizeInGB: 30 } };
}

export function buildPipelineDefinition(opts: PipelineOptions): PipelineDefinition {
  const image = xgboostImageUri(opts.region);
  const instanceType = opts.instanceType ?? DEFAULT_INSTANCE_TYPE;
  const work = `s3://${opts.bucket}/${keyPrefix(opts)}`;
  const scripts = scriptUris(opts);
  return {
    Version: '2020-12-01',
    Metadata: { GeneratedBy: 'quantflow', XGBoostVersion: XGBOOST_VERSION },
    Parameters: [
      { Name: 'InputData', Type: 'String', DefaultValue: `s3://${opts.bucket}/stock_in/train.csv` },
      { Name: 'InferenceData', Type: 'String', DefaultValue: `s3://${opts.bucket}/stock_in/inference.csv` },
      { Name: 'OutputPrefix', Type: 'String', DefaultValue: defaultOutputPrefix(opts.bucket) },
      { Name: 'ProcessingInstanceType', Type: 'String', DefaultValue: instanceType },
      { Name: 'TrainingInstanceType', Type: 'String', DefaultValue: instanceType },
      { Name: 'TransformInstanceType', Type: 'String', DefaultValue: instanceType },
    ],
    Steps: [
      {
        Name: 'StockProcess',
        Type: 'Processing',
        Description: 'split the training rows by date (train / validation 7 / test 7) and prepare the inference rows',
        Arguments: {
          AppSpecification: { ImageUri: image, ContainerEntrypoint: ['python3', `${CODE_DIR}/preprocess.py`] },
          ProcessingInputs: [
            s3Input('train-data', param('InputData'), '/opt/ml/processing/input/train'),
            s3Input('inference-data', param('InferenceData'), '/opt/ml/processing/input/inference'),
            s3Input('code', scripts.preprocess, CODE_DIR),
          ],
          ProcessingOutputConfig: {
            Outputs: [
              s3Output('train', `${work}/process/train`, '/opt/ml/processing/train'),
              s3Output('validation', `${work}/process/validation`, '/opt/ml/processing/validation'),
              s3Output('test', `${work}/process/test`, '/opt/ml/processing/test'),
              s3Output('inference', `${work}/process/inference`, '/opt/ml/processing/inference'),
            ],
          },
          ProcessingResources: cluster('ProcessingInstanceType'),
          RoleArn: opts.roleArn,
          StoppingCondition: { MaxRuntimeInSeconds: 3600 },
        },
      },
      {
        Name: 'StockTrain',
        Type: 'Training',
        Description: `built-in XGBoost ${XGBOOST_VERSION}, the original's hyper-parameters`,
        Arguments: {
          AlgorithmSpecification: { TrainingImage: image, TrainingInputMode: 'File' },
          HyperParameters: { ...XGBOOST_HYPERPARAMETERS },
          InputDataConfig: [channel('train', processed('train')), channel('validation', processed('validation'))],
          OutputDataConfig: { S3OutputPath: `${work}/model` },
          ResourceConfig: { InstanceCount: 1, InstanceType: param('TrainingInstanceType'), VolumeSizeInGB: 30 },
          RoleArn: opts.roleArn,
          StoppingCondition: { MaxRuntimeInSeconds: 86400 },
        },
      },
      {
        Name: 'StockModel',
        Type: 'Model',
        Arguments: {
          ExecutionRoleArn: opts.roleArn,
          // The published schema types ModelDataUrl as a plain s3:// string, but a model made from
          // a training step can only name its artifacts with a Get (the SageMaker SDK emits the same).
          PrimaryContainer: { Image: image, ModelDataUrl: get('Steps.StockTrain.ModelArtifacts.S3ModelArtifacts') },
        },
      },
      {
        Name: 'StockEval',
        Type: 'Processing',
        Description: 'classification report for class 1 at 0.5 on the test dates -> evaluation.json',
        Arguments: {
          AppSpecification: { ImageUri: image, ContainerEntrypoint: ['python3', `${CODE_DIR}/evaluate.py`] },
          ProcessingInputs: [
            s3Input('model', get('Steps.StockTrain.ModelArtifacts.S3ModelArtifacts'), '/opt/ml/processing/model'),
            s3Input('test', processed('test'), '/opt/ml/processing/test'),
            s3Input('code', scripts.evaluate, CODE_DIR),
          ],
          ProcessingOutputConfig: { Outputs: [s3Output('evaluation', `${work}/evaluation`, '/opt/ml/processing/evaluation')] },
          ProcessingResources: cluster('ProcessingInstanceType'),
          RoleArn: opts.roleArn,
          StoppingCondition: { MaxRuntimeInSeconds: 3600 },
        },
      },
      {
        Name: 'StockInference',
        Type: 'Transform',
        DependsOn: ['StockEval'],
        Description: 'score the inference rows; each output line is <date>$<code>,prediction',
        Arguments: {
          ModelName: get('Steps.StockModel.ModelName'),
          TransformInput: { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: processed('inference') } }, ContentType: 'text/csv', SplitType: 'Line' },
          TransformOutput: { S3OutputPath: param('OutputPrefix'), Accept: 'text/csv', AssembleWith: 'Line' },
          TransformResources: { InstanceCount: 1, InstanceType: param('TransformInstanceType') },
          DataProcessing: { InputFilter: '$[1:]', JoinSource: 'Input', OutputFilter: '$[0,-1]' },
        },
      },
    ],
  };
}

export function pipelineDefinitionJson(opts: PipelineOptions): string {
  return JSON.stringify(buildPipelineDefinition(opts));
}
