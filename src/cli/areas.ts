/** The areas `touchpoint metrics --area` accepts, in the order they print (apart so help stays lazy). */
export const AREAS = ['cadence', 'coverage', 'studies', 'quality', 'followups', 'accounts', 'themes', 'findings'] as const;
export type Area = (typeof AREAS)[number];
