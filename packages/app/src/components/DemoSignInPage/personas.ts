/** The demo personas (DESIGN.md §7); each is a user in the demo catalog. */
export const DEMO_PERSONAS = [
  {
    name: 'alice',
    title: 'Alice',
    role: 'Requester',
    groups: 'developers',
    description: 'Requests access to workload accounts.',
  },
  {
    name: 'erin',
    title: 'Erin',
    role: 'Requester',
    groups: 'developers',
    description: 'A second requester, for peer scenarios.',
  },
  {
    name: 'bob',
    title: 'Bob',
    role: 'Approver',
    groups: 'platform-leads',
    description: 'Approves access to everything under Workloads.',
  },
  {
    name: 'carol',
    title: 'Carol',
    role: 'Auditor',
    groups: 'security-auditors',
    description: 'Reads every request and session log.',
  },
  {
    name: 'dave',
    title: 'Dave',
    role: 'Admin',
    groups: 'access-admins',
    description: 'Manages policies and settings.',
  },
] as const;

export const PERSONA_STORAGE_KEY = '@elevated-access/demo-persona';
export const DEMO_PERSONA_HEADER = 'x-demo-persona';
