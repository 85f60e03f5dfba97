export * from './interview.js';
export * from './person.js';
export * from './finding.js';
