// Builds elements from data. Text always goes in as text, never parsed as HTML, so nothing the service answers can
// turn into markup or script.

const SVG_NS = 'http://www.w3.org/2000/svg';

function build(node, attributes, children) {
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name === 'dataset') {
      for (const [key, item] of Object.entries(value)) {
        node.dataset[key] = String(item);
      }
    } else if (name.startsWith('on') && typeof value === 'function') {
      node.addEventListener(name.slice(2), value);
    } else {
      node.setAttribute(name, value === true ? '' : String(value));
    }
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

/** An HTML element: el('a', {href: '/ui'}, 'text', otherElement). */
export function el(tag, attributes, ...children) {
  return build(document.createElement(tag), attributes, children);
}

/** An SVG element, with the same arguments as el. */
export function svg(tag, attributes, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attributes, children);
}

/** The element with this id, which the page must have. */
export function byId(id) {
  const found = document.getElementById(id);
  if (!found) {
    throw new Error(`the page has no #${id}`);
  }
  return found;
}

/** Shows a short note in a status line; an error in the error style. */
export function say(line, text, isError = false) {
  line.textContent = text;
  line.classList.toggle('error', isError);
}
