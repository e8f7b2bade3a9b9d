import type { ILoadOptionsFunctions, INodeListSearchResult, INodePropertyOptions } from 'n8n-workflow';
import { readFromServer } from './serverRead';

interface AccountPage {
	accounts: { id: string; name: string; plan?: string }[];
	next: string | null;
}

/** The Account picker: the accounts whose ID or name holds the search text, a page at a time. */
export async function searchAccounts(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const page = (await readFromServer.call(this, '/v1/accounts', {
		...(filter ? { search: filter } : {}),
		...(paginationToken ? { after: paginationToken } : {}),
	})) as AccountPage;
	return {
		results: page.accounts.map((account) => ({ name: account.name === account.id ? account.id : `${account.name} (${account.id})`, value: account.id })),
		...(page.next ? { paginationToken: page.next } : {}),
	};
}

interface AlertRuleList {
	rules: { id: string; account: string | null; kind: string; meter?: string; thresholds: (number | string)[]; description?: string | null }[];
}

const KIND_NAMES: Record<string, string> = {
	allowance_percent: 'Allowance used',
	balance_below: 'Balance below',
	cycle_spend_above: 'Cycle spend above',
};

/** The alert rules, named by what they watch and for whom, for Get and Delete. */
export async function getAlertRules(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const { rules } = (await readFromServer.call(this, '/v1/alert-rules')) as AlertRuleList;
	return rules.map((rule) => {
		const thresholds = rule.thresholds.map((t) => (rule.kind === 'allowance_percent' ? `${t}%` : String(t))).join(', ');
		const what = `${KIND_NAMES[rule.kind] ?? rule.kind}${rule.meter ? ` (${rule.meter})` : ''}: ${thresholds}`;
		return { name: `${rule.account ?? 'Every account'}: ${rule.description || what}`, value: rule.id, description: what };
	});
}
