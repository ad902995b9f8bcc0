// A very small stand-in for the browser's DOM, for node tests of modules that build nodes with
// web/shared/dom.js (el, append, clear): elements with attributes, classes, children, text and
// listeners; nothing is laid out. Install it before importing the module under test.
class FakeClassList {
  constructor(node) { this.node = node; }
  get list() { return this.node.className.split(/\s+/).filter(Boolean); }
  add(...names) { this.node.className = [...new Set([...this.list, ...names])].join(" "); }
  remove(...names) { this.node.className = this.list.filter((c) => !names.includes(c)).join(" "); }
  contains(name) { return this.list.includes(name); }
  toggle(name, on) {
    const want = on === undefined ? !this.contains(name) : !!on;
    if (want) this.add(name); else this.remove(name);
    return want;
  }
}

class FakeNode {
  constructor(tag, text) {
    this.tagName = tag ? tag.toUpperCase() : "#text";
    this.childNodes = [];
    this.attributes = {};
    this.listeners = {};
    this.className = "";
    this.classList = new FakeClassList(this);
    this.parentNode = null;
    this.text = text || "";
  }
  get firstChild() { return this.childNodes[0] || null; }
  appendChild(child) {
    if (child.parentNode) child.parentNode.removeChild(child);
    this.childNodes.push(child);
    child.parentNode = this;
    return child;
  }
  removeChild(child) {
    this.childNodes = this.childNodes.filter((c) => c !== child);
    child.parentNode = null;
    return child;
  }
  setAttribute(name, value) { this.attributes[name] = String(value); }
  getAttribute(name) { return name in this.attributes ? this.attributes[name] : null; }
  removeAttribute(name) { delete this.attributes[name]; }
  addEventListener(type, fn) { (this.listeners[type] = this.listeners[type] || []).push(fn); }
  get textContent() {
    return this.tagName === "#text" ? this.text : this.childNodes.map((c) => c.textContent).join("");
  }
  set textContent(value) {
    this.childNodes = [];
    if (value !== "") this.appendChild(new FakeNode(null, String(value)));
  }
}

export function installFakeDom() {
  globalThis.document = {
    createElement: (tag) => new FakeNode(tag),
    createTextNode: (text) => new FakeNode(null, text),
    addEventListener() {},
    activeElement: null,
  };
}
