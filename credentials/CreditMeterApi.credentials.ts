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
			default: 'http://localhost:3000',
			placeholder: 'https://billing.example.com',
			description: 'Where the creditmeter server answers, without a trailing /v1',
			required: true,
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'The key the server was started with (CREDITMETER_API_KEY); it prints it at start',
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

	// A protected, cheap read: a wrong key answers 401, an unreachable server fails to connect.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/v1/webhooks',
			method: 'GET',
		},
	};
}
