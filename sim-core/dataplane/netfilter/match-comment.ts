/**
 * The comment match (libxt_comment.c): always true, carries up to 255 bytes
 * of text. kube-proxy hangs its service names here ("default/web:http"), so
 * in iptables -L it is the part a reader looks for.
 */
import { mustSpecify, type MatchExt } from './extension.ts';
import type { CommentMatch } from './rule.ts';
import { saveString } from './values.ts';

// XT_MAX_COMMENT_LEN is 256 with the NUL: xtopt_parse_string silently cuts longer text.
const MAX_COMMENT = 255;

export const commentMatch: MatchExt<{ comment?: string }, CommentMatch> = {
  name: 'comment',
  options: { comment: { args: 1, invert: false } },
  start: () => ({}),
  option(d, _opt, args) {
    d.comment = args[0].slice(0, MAX_COMMENT);
    return undefined;
  },
  finish: (d) =>
    d.comment === undefined
      ? mustSpecify('comment', 'comment')
      : { module: 'comment', comment: d.comment },
  save: (m) => ` --comment${saveString(m.comment)}`,
  list: (m) => ` /* ${m.comment} */`,
  test: () => true,
};
