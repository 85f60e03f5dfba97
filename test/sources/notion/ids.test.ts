import { describe, expect, test } from 'vitest';
import { notionIdFrom } from '../../../src/sources/notion/ids.js';
import { IDS } from '../../fakes/notion.js';

describe('notionIdFrom', () => {
  test.each([
    [IDS.database_url, IDS.database_id],
    ['9dfb369bab1380aea27655daa05f1119', IDS.database_id],
    ['9DFB369B-AB13-80AE-A276-55DAA05F1119', IDS.database_id],
    // A peeked row (&p=) in a URL without a title slug: the database id still wins.
    [
      'https://www.notion.so/northwind-labs/9dfb369bab1380aea27655daa05f1119?v=3bce1484b0ae80bbb96a149cb6340e6b&p=1e527ff9160e80a489f1c7e23916e1df&pm=s',
      IDS.database_id,
    ],
    ['notion://www.notion.so/Customer-Interviews-9dfb369bab1380aea27655daa05f1119', IDS.database_id],
    ['  https://www.notion.so/9dfb369bab1380aea27655daa05f1119  ', IDS.database_id],
  ])('%s', (input, id) => {
    expect(notionIdFrom(input)).toBe(id);
  });

  test.each(['Customer-Interviews', 'https://www.notion.so/northwind-labs/Customer-Interviews', '9dfb369b', ''])('%j is not an id', (input) => {
    expect(notionIdFrom(input)).toBeNull();
  });
});
