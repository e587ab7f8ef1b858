// The knowledge-base panel of the operator desktop: a search box
// over GET /api/v1/knowledge (Russian stemming on the server), the hits with
// their matched words highlighted, and the article itself. Prefilled with the
// topic of the call on screen. Nothing from the server is ever put in as HTML:
// snippets and Markdown are turned into elements and text nodes here.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import { api, ApiError, asList } from './api';
import { t } from './i18n';
import { useTopics } from './vocabulary';

interface Hit { id: string; title: string; topic: string; snippet: string; score: number }
interface Article {
  id: string; title: string; title_en?: string | null; topic: string; tags?: string[];
  updated?: string; body: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

// "&lt;" -> "<", "&#39;" -> "'": the snippet is HTML-escaped text.
function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

// The server marks matches with <mark>...</mark> in escaped text, one line
// per heading, paragraph or list item of the article.
export function Snippet(props: { html: string }) {
  const parts = props.html.split(/<mark>|<\/mark>/).map((p) => decodeEntities(p).replace(/\s*\n+\s*/g, ' · '));
  return <>{parts.map((p, i) => (i % 2 ? <mark key={i}>{p}</mark> : p))}</>;
}

// Inline Markdown: **bold**; a [link](target) keeps only its text (no
// navigation away from the desktop, no javascript: targets).
function Inline(props: { text: string }) {
  const plain = props.text.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
  const parts = plain.split('**');
  if (parts.length % 2 === 0) parts[parts.length - 2] += '**' + parts.pop();  // an unpaired **
  return <>{parts.map((p, i) => (i % 2 ? <strong key={i}>{p}</strong> : p))}</>;
}

type Block =
  | { kind: 'h'; level: number; text: string }
  | { kind: 'p'; text: string }
  | { kind: 'ul' | 'ol'; items: string[] };

// Headings, paragraphs, lists (- * + or 1.), their wrapped lines.
export function parseMarkdown(md: string): Block[] {
  const blocks: Block[] = [];
  let open: Block | null = null;
  for (const raw of md.split('\n')) {
    const line = raw.trim();
    if (!line || /^(-{3,}|\*{3,})$/.test(line)) { open = null; continue; }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      blocks.push({ kind: 'h', level: heading[1].length, text: heading[2].replace(/\s+#+$/, '') });
      open = null;
      continue;
    }
    const bullet = /^[-*+]\s+(.*)$/.exec(line);
    const numbered = /^\d+[.)]\s+(.*)$/.exec(line);
    if (bullet || numbered) {
      const kind = bullet ? 'ul' : 'ol';
      const text = (bullet ?? numbered)![1];
      if (open && open.kind === kind) open.items.push(text);
      else { open = { kind, items: [text] }; blocks.push(open); }
      continue;
    }
    if (open && (open.kind === 'ul' || open.kind === 'ol')) open.items[open.items.length - 1] += ' ' + line;
    else if (open && open.kind === 'p') open.text += ' ' + line;
    else { open = { kind: 'p', text: line }; blocks.push(open); }
  }
  return blocks;
}

export function Markdown(props: { text: string }) {
  return (
    <div class="markdown">
      {parseMarkdown(props.text).map((b, i) => {
        if (b.kind === 'h') {
          // The article's title is the panel's heading: its ## are one level below.
          const Tag = ('h' + Math.min(6, b.level + 2)) as keyof JSX.IntrinsicElements;
          return <Tag key={i}><Inline text={b.text} /></Tag>;
        }
        if (b.kind === 'p') return <p key={i}><Inline text={b.text} /></p>;
        const items = b.items.map((it, k) => <li key={k}><Inline text={it} /></li>);
        return b.kind === 'ul' ? <ul key={i}>{items}</ul> : <ol key={i}>{items}</ol>;
      })}
    </div>
  );
}

const errText = (e: unknown) => (e instanceof ApiError ? `${e.message}${e.field ? ` (${e.field})` : ''}` : String(e));

export function KnowledgePanel(props: { topic?: string }) {
  const topics = useTopics();
  const [query, setQuery] = useState('');
  const [topic, setTopic] = useState(props.topic ?? '');
  const [hits, setHits] = useState<Hit[] | null>(null);
  const [answered, setAnswered] = useState('');  // the words `hits` answer (for tests and screen readers)
  const [article, setArticle] = useState<Article | null>(null);
  const [error, setError] = useState('');
  const [unavailable, setUnavailable] = useState(false);
  const latest = useRef(0);  // answers to older searches are dropped

  // A new call brings its topic.
  useEffect(() => { setTopic(props.topic ?? ''); }, [props.topic]);

  useEffect(() => {
    const mine = ++latest.current;
    const timer = setTimeout(async () => {
      const params = new URLSearchParams({ q: query.trim(), limit: '10' });
      if (topic) params.set('topic', topic);
      try {
        const r = await api('GET', '/knowledge?' + params.toString());
        if (mine !== latest.current) return;
        setHits(asList(r) as Hit[]);
        setAnswered(query.trim());
        setError('');
      } catch (e) {
        if (mine !== latest.current) return;
        if (e instanceof ApiError && (e.status === 503 || e.status === 404)) setUnavailable(true);
        else setError(errText(e));
      }
    }, 250);  // wait for a pause in typing
    return () => clearTimeout(timer);
  }, [query, topic]);

  const open = async (id: string) => {
    try {
      setArticle(await api<Article>('GET', '/knowledge/' + encodeURIComponent(id)));
      setError('');
    } catch (e) { setError(errText(e)); }
  };

  const topicName = (id: string) => topics.find((x) => x.id === id)?.name || id;
  if (unavailable) {
    return (
      <section class="card" data-testid="kb-panel">
        <h2>{t('kbTitle')}</h2>
        <p class="note" data-testid="kb-unavailable">{t('kbUnavailable')}</p>
      </section>
    );
  }
  return (
    <section class="card" data-testid="kb-panel" style={{ gridColumn: '1 / -1' }}>
      <h2>{t('kbTitle')}</h2>
      {article ? (
        <article data-testid="kb-article" data-id={article.id}>
          <button class="secondary" data-testid="kb-back" onClick={() => setArticle(null)}>{t('kbBack')}</button>
          <h3 data-testid="kb-article-title">{article.title}</h3>
          <p class="note">{topicName(article.topic)}{article.updated && <> · {t('updated')} {article.updated}</>}</p>
          <Markdown text={article.body} />
        </article>
      ) : (
        <>
          <form onSubmit={(e) => e.preventDefault()} role="search">
            <label for="kb-query">{t('kbSearch')}</label>
            <input id="kb-query" data-testid="kb-query" type="search" value={query} placeholder={t('kbPlaceholder')}
              autocomplete="off" onInput={(e) => setQuery(e.currentTarget.value)} />
            <label for="kb-topic">{t('topic')}</label>
            <select id="kb-topic" data-testid="kb-topic" value={topic} onChange={(e) => setTopic(e.currentTarget.value)}>
              <option value="">{t('kbAllTopics')}</option>
              {topic && !topics.some((x) => x.id === topic) && <option value={topic}>{topic}</option>}
              {topics.map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}
            </select>
          </form>
          {hits && hits.length === 0 && <p class="note" data-testid="kb-nothing" data-query={answered}>{t('kbNothing')}</p>}
          {hits && hits.length > 0 && (
            <ul data-testid="kb-results" data-query={answered} aria-live="polite" style={{ listStyle: 'none', padding: 0 }}>
              {hits.map((h) => (
                <li key={h.id} data-testid="kb-result" data-id={h.id} style={{ margin: '.6rem 0' }}>
                  <a href={'#kb-' + h.id} onClick={(e) => { e.preventDefault(); open(h.id); }}><strong>{h.title}</strong></a>
                  <span class="note"> · {topicName(h.topic)}</span>
                  <div class="note"><Snippet html={h.snippet} /></div>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      {error && <p class="error" role="alert">{error}</p>}
    </section>
  );
}
