import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class CreditMeterApi implements ICredentialType {
	name = 'creditMeterApi';

	displayName = 'CreditMeter API';

	icon: Icon = {
		light: 'file:../nodes/CreditMeter/creditmeter.svg',
		dark: 'file:../nodes/CreditMeter/creditmeter.dark.svg',
	};

	documentationUrl = 'https://github.com/creditmeter/creditmeter#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'http://localhost:8787',
			placeholder: 'https://billing.example.com',
			description: 'Where the CreditMeter server answers, without a trailing /v1',
			required: true,
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'The server key (CREDITMETER_API_KEY, printed at start) or a key made with POST /v1/api-keys; an operation the key lacks the scope for fails naming the scope it needs',
			required: true,
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiKey}}',
			},
		},
	};

	// The calling key's own description: any key may read it, whatever its scopes; a wrong key
	// answers 401, an unreachable server fails to connect.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/v1/api-keys/current',
			method: 'GET',
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						"CreditMeter rejected the API key: it is neither the server's CREDITMETER_API_KEY nor a key made with POST /v1/api-keys, or it was revoked",
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message: 'No CreditMeter server answers at this Base URL: give the address the server prints at start, without /v1',
				},
			},
		],
	};
}
