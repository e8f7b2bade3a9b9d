// A small in-process n8n for node tests: the package's nodes and credential registered as n8n
// registers them, executed by n8n-core's own WorkflowExecute (declarative routing included), with
// credentials resolved by n8n's expression engine. n8n's own node test harness is not published.
import { ExecutionLifecycleHooks, HookContext, LoadOptionsContext, WebhookContext, WorkflowExecute } from 'n8n-core';
import {
  ICredentialsHelper,
  type ICredentialDataDecryptedObject,
  type ICredentials,
  type IDataObject,
  type IHttpRequestOptions,
  type INode,
  type INodeExecutionData,
  type INodeProperties,
  type INodeType,
  type INodeTypes,
  type IRun,
  type IWebhookData,
  type IWorkflowExecuteAdditionalData,
  type IConnections,
  Workflow,
} from 'n8n-workflow';
import { CreditMeterApi } from '../../../credentials/CreditMeterApi.credentials';
import { CreditMeter } from '../../../nodes/CreditMeter/CreditMeter.node';
import { CreditMeterTrigger } from '../../../nodes/CreditMeterTrigger/CreditMeterTrigger.node';

/** Node types of a package installed into n8n are named `<package>.<node>`. */
export const ACTION = 'n8n-nodes-creditmeter.creditMeter';
export const TRIGGER = 'n8n-nodes-creditmeter.creditMeterTrigger';

const types: Record<string, INodeType> = { [ACTION]: new CreditMeter(), [TRIGGER]: new CreditMeterTrigger() };
const nodeTypes: INodeTypes = {
  getByName: (type) => types[type]!,
  getByNameAndVersion: (type) => types[type]!,
  getKnownTypes: () => ({}),
};
const credentialType = new CreditMeterApi();

/** Resolves the credential's generic authentication (`=Bearer {{$credentials.apiKey}}`) as n8n does. */
class TestCredentialsHelper extends ICredentialsHelper {
  constructor(private readonly credentials: ICredentialDataDecryptedObject) {
    super();
  }
  getParentTypes(): string[] {
    return [];
  }
  isCredentialUsableByNode(): boolean {
    return true;
  }
  async authenticate(credentials: ICredentialDataDecryptedObject, _type: string, request: IHttpRequestOptions, workflow?: Workflow, node?: INode) {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(credentialType.authenticate.properties.headers ?? {})) {
      const expression = String(value);
      headers[name] = String(workflow!.expression.getSimpleParameterValue(node!, expression, 'internal', { $credentials: credentials }, undefined, expression));
    }
    return { ...request, headers: { ...(request.headers ?? {}), ...headers } };
  }
  async preAuthentication() {
    return undefined;
  }
  async runPreAuthentication() {
    return undefined;
  }
  async getCredentials(): Promise<ICredentials> {
    throw new Error('not used by these nodes');
  }
  async getDecrypted() {
    return this.credentials;
  }
  async updateCredentials() {}
  async updateCredentialsOauthTokenData() {}
  getCredentialsProperties(): INodeProperties[] {
    return credentialType.properties;
  }
}

export interface NodeSpec {
  name: string;
  type: string;
  parameters: INode['parameters'];
  continueOnFail?: boolean;
  /** The node's version; 1 unless told (the example workflows and most tests were made with 1). */
  typeVersion?: number;
}

function toNodes(specs: NodeSpec[]): INode[] {
  return specs.map((spec, i) => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    name: spec.name,
    type: spec.type,
    typeVersion: spec.typeVersion ?? 1,
    position: [i * 200, 0],
    parameters: spec.parameters,
    credentials: { creditMeterApi: { id: '1', name: 'creditmeter' } },
    ...(spec.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
  }));
}

let executions = 0;

function additionalData(credentials: ICredentialDataDecryptedObject, executionId: string, hooks?: ExecutionLifecycleHooks): IWorkflowExecuteAdditionalData {
  return {
    credentialsHelper: new TestCredentialsHelper(credentials),
    executionId,
    restApiUrl: 'http://localhost:5678/rest',
    instanceBaseUrl: 'http://localhost:5678',
    webhookBaseUrl: 'http://localhost:5678/webhook',
    webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
    webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
    formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
    variables: {},
    hooks,
    currentNodeParameters: undefined,
    executeWorkflow: async () => {
      throw new Error('not used by these nodes');
    },
    getRunExecutionData: async () => undefined,
    logAiEvent: () => {},
    startRunnerTask: async () => {
      throw new Error('not used by these nodes');
    },
  } as unknown as IWorkflowExecuteAdditionalData;
}

/** Runs the nodes (the first gets `items`), connected in a line; returns each node's output items. */
export async function runWorkflow(
  credentials: ICredentialDataDecryptedObject,
  specs: NodeSpec[],
  items: INodeExecutionData[] = [{ json: {} }],
  /** Each run is a new execution unless told otherwise (as when n8n retries a node). */
  executionId = `execution-${(executions += 1)}`,
): Promise<{ output: (name: string) => INodeExecutionData[]; error?: Error; run: IRun }> {
  const nodes = toNodes(specs);
  const connections: IConnections = {};
  for (let i = 0; i + 1 < nodes.length; i += 1) {
    connections[nodes[i]!.name] = { main: [[{ node: nodes[i + 1]!.name, type: 'main', index: 0 }]] };
  }
  const workflow = new Workflow({ id: 'wf-test', name: 'test', nodes, connections, active: false, nodeTypes, settings: {} });
  const hooks = new ExecutionLifecycleHooks('manual', executionId, { id: 'wf-test', name: 'test', nodes, connections, active: false, settings: {} } as never);
  const execution = new WorkflowExecute(additionalData(credentials, executionId, hooks), 'manual', {
    version: 1,
    startData: {},
    resultData: { runData: {} },
    executionData: {
      contextData: {},
      metadata: {},
      nodeExecutionStack: [{ node: nodes[0]!, data: { main: [items] }, source: null }],
      waitingExecution: {},
      waitingExecutionSource: {},
    },
  } as never);
  const run = await execution.processRunExecutionData(workflow);
  const runData = run.data.resultData.runData;
  return {
    run,
    ...(run.data.resultData.error ? { error: run.data.resultData.error as Error } : {}),
    output: (name) => runData[name]?.[0]?.data?.main?.[0] ?? [],
  };
}

/** The trigger's lifecycle and webhook, driven through n8n-core's own hook and webhook contexts. */
export function triggerHarness(credentials: ICredentialDataDecryptedObject, parameters: INode['parameters'], webhookUrl: string) {
  const [node] = toNodes([{ name: 'CreditMeter Trigger', type: TRIGGER, parameters }]);
  const staticData: IDataObject = {};
  const workflow = new Workflow({ id: 'wf-trigger', name: 'trigger', nodes: [node!], connections: {}, active: true, nodeTypes, settings: {}, staticData });
  const data = additionalData(credentials, 'trigger-execution');
  const webhookData = {
    httpMethod: 'POST',
    node: node!.name,
    path: 'webhook',
    webhookDescription: (types[TRIGGER]!.description.webhooks ?? [])[0]!,
    workflowId: 'wf-trigger',
    workflowExecuteAdditionalData: data,
  } as IWebhookData;
  // Where n8n would receive the webhooks: the test points it at its own listener.
  (data as unknown as { webhookBaseUrl: string }).webhookBaseUrl = webhookUrl;
  const trigger = types[TRIGGER] as CreditMeterTrigger;
  const hookContext = () => new HookContext(workflow, node!, data, 'trigger', 'activate', webhookData);
  return {
    staticData: () => workflow.staticData['node:CreditMeter Trigger'] as Record<string, string> | undefined,
    checkExists: () => trigger.webhookMethods.default.checkExists.call(hookContext()),
    create: () => trigger.webhookMethods.default.create.call(hookContext()),
    delete: () => trigger.webhookMethods.default.delete.call(hookContext()),
    webhookUrl: () => hookContext().getNodeWebhookUrl('default'),
    /** Hands one received request to the node as n8n's webhook server would. */
    async receive(request: { headers: Record<string, string>; rawBody: Buffer }) {
      let status = 200;
      let sent: unknown;
      const response = {
        status(code: number) {
          status = code;
          return response;
        },
        json(body: unknown) {
          sent = body;
          return response;
        },
        end() {
          return response;
        },
      };
      const req = { headers: request.headers, rawBody: request.rawBody, body: JSON.parse(request.rawBody.toString('utf8')) };
      const context = new WebhookContext(workflow, node!, { ...data, httpRequest: req, httpResponse: response } as never, 'trigger', webhookData, [], null);
      const result = await trigger.webhook.call(context);
      return { result, status, sent };
    },
  };
}

/** Runs one of the action node's loadOptions methods as n8n's editor does for a parameter's list. */
function loadOptionsContext(credentials: ICredentialDataDecryptedObject, parameters: INode['parameters']) {
  const [node] = toNodes([{ name: 'CreditMeter', type: ACTION, parameters }]);
  const workflow = new Workflow({ id: 'wf-options', name: 'options', nodes: [node!], connections: {}, active: false, nodeTypes, settings: {} });
  return new LoadOptionsContext(workflow, node!, additionalData(credentials, 'load-options'), '');
}

type LoadOptionsMethod = keyof CreditMeter['methods']['loadOptions'];

/** A list of a parameter panel, as the editor loads it. */
export async function loadOptions(credentials: ICredentialDataDecryptedObject, method: LoadOptionsMethod, parameters: INode['parameters'] = {}) {
  return (types[ACTION] as CreditMeter).methods.loadOptions[method].call(loadOptionsContext(credentials, parameters));
}

type ResourceMappingMethod = keyof CreditMeter['methods']['resourceMapping'];

/** A resource mapper's fields, as the editor loads them for the node's current parameters. */
export async function resourceMapping(credentials: ICredentialDataDecryptedObject, method: ResourceMappingMethod, parameters: INode['parameters'] = {}) {
  return (types[ACTION] as CreditMeter).methods.resourceMapping[method].call(loadOptionsContext(credentials, parameters));
}

/** A resource locator's "From list" search, as the editor runs it while the user types. */
export async function searchList(credentials: ICredentialDataDecryptedObject, filter?: string, paginationToken?: string) {
  return (types[ACTION] as CreditMeter).methods.listSearch.searchAccounts.call(loadOptionsContext(credentials, {}), filter, paginationToken);
}
