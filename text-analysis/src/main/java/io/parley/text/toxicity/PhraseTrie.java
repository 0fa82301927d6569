package io.parley.text.toxicity;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lexicon's phrases as a tree of words: every path from the root spells a phrase word by word,
 * and the entries of that phrase hang on the node of its last word. Immutable once built, so safe
 * to share between threads.
 *
 * <p>Why a tree: sets expand at load time into ~30,000 entries, thousands of them behind one first
 * word (~6,000 behind "i", mostly {@code @will @hurtverb @victim}; ~1,100 behind "the"). Looking
 * entries up by their first word and then verifying each one against the next tokens cost hundreds
 * of microseconds for a short message. Walking the tree instead follows only the words the next
 * tokens actually match: one or two hash look-ups per token of a message, whatever the size of the
 * sets.
 *
 * <p>A lexicon word matches a token as follows, for any of the token's spelling variants: the
 * variant equals the word, or starts with it for a {@code word*} prefix; or, when the variant has a
 * repeated letter, its collapsed form equals (or starts with) the word's collapsed form; or the
 * variant masks letters with {@code *} ("f*ck") and every visible letter is in place. One exception
 * is kept from the first implementation, which found first words through an index that skipped the
 * masked comparison for variants longer than the longest lexicon word plus one: a phrase's first
 * word is not matched by masking against such a variant ("f*ckingmotherf*ckers" does not start
 * {@code fuck*}), its later words are.
 */
final class PhraseTrie {

  /** Receives each phrase found: its entry and the tokens {@code start..end} (inclusive). */
  @FunctionalInterface
  interface Found {
    void found(Lexicon.Entry entry, int start, int end);
  }

  private static final Node[] NONE = {};

  private final Node root;
  private final int longestMaskedFirstWord;

  /** The tree of {@code entries}; {@code longestWord} is the lexicon's longest word form. */
  PhraseTrie(List<Lexicon.Entry> entries, int longestWord) {
    Draft draft = new Draft(null);
    for (Lexicon.Entry entry : entries) {
      Draft node = draft;
      for (Lexicon.Word word : entry.words()) {
        node = node.children.computeIfAbsent(word, Draft::new);
      }
      node.entries.add(entry);
    }
    this.root = new Node(draft);
    this.longestMaskedFirstWord = longestWord + 1;
  }

  /**
   * Reports every phrase that starts at token {@code start} and ends in the same sentence, each
   * once.
   */
  void findAt(List<DeobfuscatedWords.Token> tokens, int start, Found found) {
    walk(root, tokens, start, start, found);
  }

  /** Whether {@code token} may begin a scored (not benign) phrase. */
  boolean startsATerm(DeobfuscatedWords.Token token) {
    for (Node child : matchingChildren(root, token, true)) {
      if (child.leadsToTerm) {
        return true;
      }
    }
    return false;
  }

  private void walk(
      Node node, List<DeobfuscatedWords.Token> tokens, int start, int at, Found found) {
    DeobfuscatedWords.Token token = tokens.get(at);
    if (token.sentence() != tokens.get(start).sentence()) {
      return; // sentence numbers only grow: no phrase from start reaches past this token
    }
    for (Node child : matchingChildren(node, token, at == start)) {
      for (Lexicon.Entry entry : child.phrases) {
        found.found(entry, start, at);
      }
      if (child.hasChildren && at + 1 < tokens.size()) {
        walk(child, tokens, start, at + 1, found);
      }
    }
  }

  /**
   * The children of {@code node} whose word matches {@code token}, each once: usually none or one,
   * found by hash look-ups, so nothing is allocated for a token that matches nothing.
   */
  private List<Node> matchingChildren(Node node, DeobfuscatedWords.Token token, boolean firstWord) {
    List<Node> found = List.of();
    String[] forms = token.forms();
    String[] collapsedForms = token.collapsed();
    for (int v = 0; v < forms.length; v++) {
      String form = forms[v];
      String collapsed = collapsedForms[v];
      found = with(found, node.byForm.get(form));
      if (collapsed != null) {
        for (Node child : node.byCollapsedForm.getOrDefault(collapsed, NONE)) {
          found = with(found, child);
        }
      }
      for (Node child : node.prefixes) {
        Lexicon.Word word = child.word;
        if (form.startsWith(word.form())
            || (collapsed != null && collapsed.startsWith(word.collapsed()))) {
          found = with(found, child);
        }
      }
      if (form.indexOf('*') > 0 && (!firstWord || form.length() <= longestMaskedFirstWord)) {
        // a masked word matches a whole word of its own length, or a prefix word
        if (form.length() < node.byLength.length) {
          for (Node child : node.byLength[form.length()]) {
            if (maskedMatch(child.word, form)) {
              found = with(found, child);
            }
          }
        }
        for (Node child : node.prefixes) {
          if (maskedMatch(child.word, form)) {
            found = with(found, child);
          }
        }
      }
    }
    return found;
  }

  /** {@code found} with {@code node} added unless it is null or already there. */
  private static List<Node> with(List<Node> found, Node node) {
    if (node == null) {
      return found;
    }
    for (Node other : found) {
      if (other == node) {
        return found;
      }
    }
    List<Node> more = found.isEmpty() ? new ArrayList<>(2) : found;
    more.add(node);
    return more;
  }

  /** "f*ck" against "fuck": each * stands for one letter; at least two letters are visible. */
  private static boolean maskedMatch(Lexicon.Word word, String form) {
    String target = word.form();
    if (word.prefix() ? form.length() < target.length() : form.length() != target.length()) {
      return false;
    }
    int visible = 0;
    for (int i = 0; i < target.length(); i++) {
      char c = form.charAt(i);
      if (c == '*') {
        continue;
      }
      if (c != target.charAt(i)) {
        return false;
      }
      visible++;
    }
    return visible >= 2;
  }

  /**
   * One word of one or more phrases, reached by the words before it, with its children indexed the
   * ways a token can match them. Leaves (most nodes) share the empty tables.
   */
  private static final class Node {
    private static final Node[][] NO_LENGTHS = {};

    private final Lexicon.Word word;
    private final Lexicon.Entry[] phrases;
    private final boolean hasChildren;
    private final Map<String, Node> byForm;
    private final Map<String, Node[]> byCollapsedForm;
    private final Node[] prefixes;
    private final Node[][] byLength;
    private final boolean leadsToTerm;

    private Node(Draft draft) {
      word = draft.word;
      phrases = draft.entries.toArray(Lexicon.Entry[]::new);
      hasChildren = !draft.children.isEmpty();
      Map<String, Node> exact = new HashMap<>();
      Map<String, List<Node>> collapsed = new HashMap<>();
      List<Node> prefixed = new ArrayList<>();
      List<List<Node>> lengths = new ArrayList<>();
      boolean term = draft.entries.stream().anyMatch(entry -> !entry.benign());
      for (Draft childDraft : draft.children.values()) {
        Node child = new Node(childDraft);
        term |= child.leadsToTerm;
        if (child.word.prefix()) {
          prefixed.add(child);
        } else {
          exact.put(child.word.form(), child);
          collapsed.computeIfAbsent(child.word.collapsed(), k -> new ArrayList<>()).add(child);
          int length = child.word.form().length();
          while (lengths.size() <= length) {
            lengths.add(new ArrayList<>());
          }
          lengths.get(length).add(child);
        }
      }
      leadsToTerm = term;
      byForm = Map.copyOf(exact);
      Map<String, Node[]> byCollapsed = new HashMap<>();
      collapsed.forEach((form, nodes) -> byCollapsed.put(form, nodes.toArray(NONE)));
      byCollapsedForm = Map.copyOf(byCollapsed);
      prefixes = prefixed.isEmpty() ? NONE : prefixed.toArray(NONE);
      byLength =
          lengths.isEmpty()
              ? NO_LENGTHS
              : lengths.stream().map(nodes -> nodes.toArray(NONE)).toArray(Node[][]::new);
    }
  }

  /** A node while the tree is built: its phrases and its children by word, in lexicon order. */
  private static final class Draft {
    private final Lexicon.Word word;
    private final List<Lexicon.Entry> entries = new ArrayList<>(1);
    private final Map<Lexicon.Word, Draft> children = new LinkedHashMap<>();

    private Draft(Lexicon.Word word) {
      this.word = word;
    }
  }
}
