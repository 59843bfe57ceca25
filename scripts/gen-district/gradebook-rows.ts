import { addDays, type Session } from './calendar.js';
import { type ClassInfo, classesWithMembers, type District } from './district-model.js';
import { studentId } from './people.js';
import type { Row, RowSource } from './write-package.js';

/**
 * categories, lineItems and results (fact sheet §7.4). Results stay bounded: only the homework of
 * each student's first two subjects is graded, for most students, so at most two results each.
 */
export function gradebookSources(district: District): Record<string, RowSource> {
  return {
    categories: () => CATEGORIES.map((c) => ({ ...c })),
    lineItems: () => lineItems(district),
    results: () => results(district),
  };
}

/** weight is written as an integer: LSG parses CSV categories.weight as one (§8.2). */
const CATEGORIES = [
  { sourcedId: 'cat-homework', title: 'Homework', weight: '20' },
  { sourcedId: 'cat-quiz', title: 'Quizzes', weight: '20' },
  { sourcedId: 'cat-test', title: 'Tests', weight: '40' },
  { sourcedId: 'cat-project', title: 'Projects', weight: '20' },
] as const;

/** The assignments every class has; `period` is 0 or 1, the first or second grading period of the class's semester. */
const ASSIGNMENTS = [
  { key: 'hw1', title: 'Homework 1', category: 'cat-homework', period: 0, assignAfter: [0, 14], daysToDue: 7, description: 'Chapter 1, exercises 1–10' },
  { key: 'quiz1', title: 'Quiz 1', category: 'cat-quiz', period: 0, assignAfter: [21, 35], daysToDue: 2, description: 'Short quiz on "Getting started"' },
  { key: 'test1', title: 'Unit Test 1', category: 'cat-test', period: 1, assignAfter: [14, 30], daysToDue: 1, description: undefined },
] as const;
/** Students' subjects whose homework gets results. */
const GRADED_SUBJECTS: ReadonlySet<number> = new Set([0, 1]);
const GRADED_SHARE = 0.75;

interface LineItem {
  sourcedId: string;
  title: string;
  description: string | undefined;
  category: string;
  gradingPeriod: Session;
  assignDate: string;
  dueDate: string;
}

/** A class's line items, dated within its semester's grading periods by the class's own stream. */
function lineItemsOf(district: District, cls: ClassInfo): LineItem[] {
  const r = district.random.fork('lineItems', cls.sourcedId);
  return ASSIGNMENTS.map((a) => {
    const gradingPeriod = district.calendar.gradingPeriods[cls.semester * 2 + a.period] as Session;
    const assignDate = addDays(gradingPeriod.startDate, r.int(a.assignAfter[0], a.assignAfter[1]));
    return {
      sourcedId: `li-${cls.key}-${a.key}`,
      title: a.title,
      description: a.description,
      category: a.category,
      gradingPeriod,
      assignDate,
      dueDate: addDays(assignDate, a.daysToDue),
    };
  });
}

function* lineItems(district: District): Generator<Row> {
  for (const school of district.schools) {
    for (const cls of school.classes) {
      for (const li of lineItemsOf(district, cls)) {
        yield {
          sourcedId: li.sourcedId,
          title: li.title,
          description: li.description,
          assignDate: li.assignDate,
          dueDate: li.dueDate,
          classSourcedId: cls.sourcedId,
          categorySourcedId: li.category,
          gradingPeriodSourcedId: li.gradingPeriod.sourcedId, // 1.1
          academicSessionSourcedId: li.gradingPeriod.sourcedId, // 1.2
          resultValueMin: '0',
          resultValueMax: '100',
          schoolSourcedId: school.sourcedId,
        };
      }
    }
  }
}

type ScoreStatus = 'fully graded' | 'partially graded' | 'submitted' | 'not submitted' | 'exempt';
const COMMENTS: readonly (readonly [string | undefined, number])[] = [
  [undefined, 70],
  ['Good work, keep it up', 8],
  ['Très bien ! Señalá tus fuentes.', 6],
  ['See me about "show your work"', 6],
  ['Needs revision', 10],
];

function* results(district: District): Generator<Row> {
  let n = 0;
  for (const { cls, members } of classesWithMembers(district, GRADED_SUBJECTS)) {
    const homework = lineItemsOf(district, cls)[0] as LineItem;
    const r = district.random.fork('results', cls.sourcedId);
    for (const s of members) {
      if (!r.chance(GRADED_SHARE)) continue;
      const status = r.weighted<ScoreStatus>([
        ['fully graded', 80],
        ['partially graded', 5],
        ['submitted', 8],
        ['not submitted', 5],
        ['exempt', 2],
      ]);
      // 1.1 requires a score on every result (§8.7), so ungraded ones carry 0.
      const score = status === 'fully graded' ? r.int(110, 200) / 2 : status === 'partially graded' ? r.int(20, 60) : 0;
      yield {
        sourcedId: `res-${++n}`,
        lineItemSourcedId: homework.sourcedId,
        studentSourcedId: studentId(s),
        scoreStatus: status,
        score: String(score),
        scoreDate: addDays(homework.dueDate, r.int(0, 5)),
        comment: r.weighted(COMMENTS),
        textScore: status === 'fully graded' ? letter(score) : undefined,
        classSourcedId: cls.sourcedId,
        inProgress: 'false',
        incomplete: String(status === 'partially graded'),
        late: String(status !== 'not submitted' && r.chance(0.08)),
        missing: String(status === 'not submitted'),
      };
    }
  }
}

function letter(score: number): string {
  return score >= 90 ? 'A' : score >= 80 ? 'B' : score >= 70 ? 'C' : score >= 60 ? 'D' : 'F';
}
