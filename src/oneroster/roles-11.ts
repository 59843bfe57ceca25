/**
 * OneRoster 1.1 users have one `role` from a shorter vocabulary; 1.2 users have `roles` (fact sheet
 * §7.5). EdHub stores 1.2 roles. 1.1 `administrator` comes in as 1.2 `siteAdministrator`; on the way
 * back, the 1.2 roles without a 1.1 twin fold into `administrator` (counselor into an ext: token),
 * so the CSV export, the 1.1 REST reads and the 1.1 `role` filter agree.
 */
export const ROLE_11_TO_12: Readonly<Record<string, string>> = { administrator: 'siteAdministrator' };

const ROLE_12_TO_11: Readonly<Record<string, string>> = {
  siteAdministrator: 'administrator',
  districtAdministrator: 'administrator',
  systemAdministrator: 'administrator',
  principal: 'administrator',
  counselor: 'ext:counselor',
};

export function role11(role12: string): string {
  return ROLE_12_TO_11[role12] ?? role12;
}

/** Every stored 1.2 role a 1.1 role name stands for (for filters: `role='administrator'`). */
export function roles12For(role11Name: string): string[] {
  const all = Object.entries(ROLE_12_TO_11)
    .filter(([, r11]) => r11 === role11Name)
    .map(([r12]) => r12);
  return all.length > 0 ? all : [ROLE_11_TO_12[role11Name] ?? role11Name];
}
