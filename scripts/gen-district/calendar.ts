/**
 * The school calendar: one school year, two semesters, four grading periods (fact sheet §7.3:
 * startDate inclusive, endDate exclusive, schoolYear is the end year). Fixed dates, never "today", so
 * a seed reproduces the same package on any day.
 */
export type SessionType = 'schoolYear' | 'semester' | 'gradingPeriod';

export interface Session {
  sourcedId: string;
  title: string;
  type: SessionType;
  startDate: string;
  endDate: string;
  parent?: Session;
}

export interface SchoolCalendar {
  /** The end year, as academicSessions.schoolYear writes it. */
  schoolYear: number;
  year: Session;
  semesters: readonly [Session, Session];
  /** Two per semester, in date order; gradingPeriods[2s] and [2s + 1] belong to semesters[s]. */
  gradingPeriods: readonly [Session, Session, Session, Session];
}

export const DEFAULT_SCHOOL_YEAR = 2026;

export function schoolCalendar(schoolYear: number): SchoolCalendar {
  const first = schoolYear - 1;
  const id = `as-${schoolYear}`;
  const year: Session = { sourcedId: id, title: `${first}–${schoolYear}`, type: 'schoolYear', startDate: `${first}-08-18`, endDate: `${schoolYear}-06-12` };
  const fall: Session = {
    sourcedId: `${id}-s1`,
    title: `Fall ${first}`,
    type: 'semester',
    startDate: year.startDate,
    endDate: `${schoolYear}-01-16`,
    parent: year,
  };
  const spring: Session = {
    sourcedId: `${id}-s2`,
    title: `Spring ${schoolYear}`,
    type: 'semester',
    startDate: `${schoolYear}-01-20`,
    endDate: year.endDate,
    parent: year,
  };
  const period = (n: number, parent: Session, startDate: string, endDate: string): Session => ({
    sourcedId: `${id}-q${n}`,
    title: `Quarter ${n}`,
    type: 'gradingPeriod',
    startDate,
    endDate,
    parent,
  });
  return {
    schoolYear,
    year,
    semesters: [fall, spring],
    gradingPeriods: [
      period(1, fall, fall.startDate, `${first}-10-20`),
      period(2, fall, `${first}-10-20`, fall.endDate),
      period(3, spring, spring.startDate, `${schoolYear}-03-30`),
      period(4, spring, `${schoolYear}-03-30`, spring.endDate),
    ],
  };
}

/** A YYYY-MM-DD date moved by a number of days. */
export function addDays(date: string, days: number): string {
  const t = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}
