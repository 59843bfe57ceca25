import { check, failed, needs, passed, type SuiteCase, summarise } from '../case.js';
import { describe, type Rec, recordsOf, rolesOf, type SuiteContext, text, WALK_LIMIT } from '../context.js';
import { paramsFor } from '../params.js';
import { fill } from './endpoints.js';

const quotable = (v: string | undefined): v is string => v !== undefined && v !== '' && !v.includes("'");

/** Google Classroom's SIS-sync reads (fact sheet §9.1). The writes are in google-writes.ts. */
export const googleReadCases: SuiteCase[] = [
  {
    id: 'google.teachers',
    title: 'GET /teachers?limit=10000 lists teachers, and only teachers',
    reference: 'Google Classroom SIS sync test (fact sheet §9.1)',
    run: async (ctx) => {
      const teachers = recordsOf(await ctx.get('rostering', '/teachers', { limit: WALK_LIMIT }), 'users');
      needs(teachers.length > 0 || undefined, 'GET /teachers returned no teachers');
      const others = teachers.filter((t) => !rolesOf(t).includes('teacher')).map((t) => `${String(t.sourcedId)} (${rolesOf(t).join(', ') || 'no role'})`);
      return others.length === 0 ? passed(`${teachers.length} teachers`) : failed(`not teachers: ${summarise(others)}`);
    },
  },
  {
    id: 'google.email-filter',
    title: "filter=email='…' for a teacher's address returns exactly that one user",
    reference: 'Google Classroom SIS sync test (fact sheet §9.1)',
    run: async (ctx) => {
      const teachers = recordsOf(await ctx.get('rostering', '/teachers', { limit: WALK_LIMIT }), 'users');
      const email = needs(teachers.map((t) => text(t, 'email')).find(quotable), 'no teacher has an e-mail address');
      const ex = await ctx.get('rostering', '/users', { filter: `email='${email}'` });
      const found = recordsOf(ex, 'users');
      check(found.length === 1, `GET ${ex.url} returned ${found.length} users`);
      check(text(found[0] as Rec, 'email') === email, `the user returned has e-mail ${String((found[0] as Rec).email)}`);
      return passed(email);
    },
  },
  {
    id: 'google.teacher-classes',
    title: "GET /teachers/{id}/classes?filter=status='active' returns the teacher's active classes",
    reference: 'Google Classroom SIS sync test (fact sheet §9.1)',
    run: async (ctx) => {
      const e = ctx.endpoint('GET', '/teachers/{teacherSourcedId}/classes');
      const ex = await ctx.get(e.service, fill(e.path, await paramsFor(ctx, e)), { filter: "status='active'" });
      const classes = recordsOf(ex, 'classes');
      needs(classes.length > 0 || undefined, `GET ${ex.url} returned no classes`);
      const inactive = classes.filter((c) => c.status !== 'active').map((c) => String(c.sourcedId));
      return inactive.length === 0 ? passed(`${classes.length} classes`) : failed(`not active: ${summarise(inactive)}`);
    },
  },
  {
    id: 'google.grading-periods',
    title: 'GET /terms/{id}/gradingPeriods returns academic sessions of type gradingPeriod only',
    reference: 'Google Classroom SIS sync test (fact sheet §9.1)',
    run: async (ctx: SuiteContext) => {
      const terms = (await ctx.firstPage('/terms')).slice(0, 5);
      needs(terms.length > 0 || undefined, 'GET /terms returned no terms');
      const problems: string[] = [];
      let periods = 0;
      for (const t of terms) {
        const ex = await ctx.get('rostering', `/terms/${encodeURIComponent(String(t.sourcedId))}/gradingPeriods`);
        if (ex.status !== 200) {
          problems.push(describe(ex));
          continue;
        }
        for (const p of recordsOf(ex, 'academicSessions')) {
          periods++;
          if (p.type !== 'gradingPeriod') problems.push(`term ${String(t.sourcedId)}: ${String(p.sourcedId)} is a ${String(p.type)}`);
        }
      }
      needs(periods > 0 || problems.length > 0 || undefined, `none of ${terms.length} term(s) has grading periods`);
      return problems.length === 0 ? passed(`${periods} grading periods in ${terms.length} term(s)`) : failed(summarise(problems));
    },
  },
];
