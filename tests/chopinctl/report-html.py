#!/usr/bin/env python3
"""Reads a chopinctl report page (and its screenshot) for tests/chopinctl/test-report*.sh.

The page is written as polyglot markup, so the XML parser reads it: a page that is not
well-formed fails here already. Standard library only.

  report-html.py check PAGE        safety: prints one line per problem, nothing when clean
  report-html.py metrics PAGE      "name<TAB>value" of every data-metric, sorted
  report-html.py bars PAGE         "host<TAB>day<TAB>series<TAB>count" of the bar charts
                                   (host "*" for the fleet chart), sorted
  report-html.py sparks PAGE       "host<TAB>device<TAB>day<TAB>count" of the device charts
  report-html.py devices PAGE      "host<TAB>device<TAB>events" of the device tables
  report-html.py groups PAGE       "host<TAB>device<TAB>source<TAB>id<TAB>count"
  report-html.py attr PAGE NAME    the values of attribute NAME, in page order
  report-html.py cells PAGE ATTR VALUE  JSON list of the texts of the children of the first
                                   element whose attribute ATTR is VALUE (a row's cells)
  report-html.py hostnames PAGE    JSON list of [data-host, heading text] per host section
  report-html.py png IMAGE [#rrggbb...]  "width height colours nonwhite_permille", then per
                                   colour the pixels within a small distance of it
"""
import json
import struct
import sys
import xml.etree.ElementTree as ET
import zlib

XHTML = '{http://www.w3.org/1999/xhtml}'
SVG = '{http://www.w3.org/2000/svg}'

# Everything the page may contain: anything else came from the data.
ALLOWED = {
    XHTML + t for t in ('html', 'head', 'meta', 'title', 'style', 'body', 'header', 'h1', 'h2',
                        'h3', 'p', 'span', 'nav', 'a', 'main', 'section', 'div', 'ul', 'li',
                        'table', 'thead', 'tbody', 'tr', 'th', 'td', 'figure', 'b', 'footer')
} | {SVG + t for t in ('svg', 'g', 'line', 'text', 'rect', 'title', 'desc')}


def load(path):
    return ET.parse(path).getroot()


def local(tag):
    return tag.split('}', 1)[-1]


def walk(element, context=None):
    """(element, context) pairs; context holds the nearest data-host, data-device, chart."""
    context = dict(context or {})
    for key in ('data-host', 'data-device', 'data-chart'):
        if key in element.attrib:
            context[key] = element.attrib[key]
    if element.attrib.get('class') == 'spark':
        context['spark'] = True
    yield element, context
    for child in element:
        yield from walk(child, context)


def check(root):
    problems = []
    if root.tag != XHTML + 'html':
        problems.append('root element is %s' % root.tag)
    for element in root.iter():
        if element.tag not in ALLOWED:
            problems.append('unexpected element %s' % element.tag)
        for name, value in element.attrib.items():
            lname = local(name).lower()
            if lname.startswith('on'):
                problems.append('event handler attribute %s' % name)
            if lname in ('src', 'srcset', 'action', 'formaction', 'background', 'poster'):
                problems.append('resource attribute %s' % name)
            if lname == 'href' and not value.startswith('#'):
                problems.append('link out of the page: %r' % value)
            if 'javascript:' in value.lower():
                problems.append('javascript: in %s' % name)
        if element.tag == XHTML + 'style' and ('url(' in (element.text or '')
                                               or '@import' in (element.text or '')):
            problems.append('the style loads something')
    if len(root.findall('.//' + XHTML + 'h1')) != 1:
        problems.append('not exactly one h1')
    if len(root.findall('.//' + XHTML + 'style')) != 1:
        problems.append('not exactly one style element')
    return problems


def bars(root):
    lines = []
    for element, context in walk(root):
        if element.tag != SVG + 'rect' or 'data-count' not in element.attrib:
            continue
        if context.get('spark'):
            continue
        host = '*' if context.get('data-chart') == 'fleet' else context.get('data-host', '?')
        a = element.attrib
        lines.append('\t'.join((host, a['data-day'], a['data-series'], a['data-count'])))
    return sorted(lines)


def sparks(root):
    lines = []
    for element, context in walk(root):
        if element.tag == SVG + 'rect' and context.get('spark') and 'data-count' in element.attrib:
            a = element.attrib
            lines.append('\t'.join((context.get('data-host', '?'), context.get('data-device', '?'),
                                    a['data-day'], a['data-count'])))
    return sorted(lines)


def table_rows(root, attribute, fields):
    lines = []
    for element, context in walk(root):
        if element.tag == XHTML + 'tr' and attribute in element.attrib:
            lines.append('\t'.join([context.get('data-host', '?')] +
                                   [element.attrib.get(f, '') for f in fields]))
    return sorted(lines)


def text_of(element):
    return ''.join(element.itertext())


def hostnames(root):
    result = []
    for section in root.iter(XHTML + 'section'):
        if 'data-host' in section.attrib:
            name = section.find(XHTML + 'h3').find(XHTML + 'span')
            result.append([section.attrib['data-host'], text_of(name)])
    return result


def png_rows(path):
    data = open(path, 'rb').read()
    if data[:8] != b'\x89PNG\r\n\x1a\n':
        raise SystemExit('%s: not a PNG file' % path)
    pos, idat, header = 8, [], None
    while pos + 8 <= len(data):
        length, = struct.unpack('>I', data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b'IHDR':
            header = struct.unpack('>IIBBBBB', body)
        elif kind == b'IDAT':
            idat.append(body)
        elif kind == b'IEND':
            break
    if header is None:
        raise SystemExit('%s: no IHDR chunk' % path)
    width, height, depth, colour_type, _, _, interlace = header
    if depth != 8 or colour_type not in (2, 6) or interlace != 0:
        raise SystemExit('%s: depth %d, colour type %d, interlace %d: not decoded here'
                         % (path, depth, colour_type, interlace))
    bpp = 3 if colour_type == 2 else 4
    raw = zlib.decompress(b''.join(idat))
    stride = width * bpp
    if len(raw) != height * (stride + 1):
        raise SystemExit('%s: %d bytes of image data, %d expected' % (path, len(raw),
                                                                      height * (stride + 1)))
    low7 = int.from_bytes(b'\x7f' * stride, 'big')
    high = int.from_bytes(b'\x80' * stride, 'big')
    previous = bytearray(stride)
    rows = []
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        if kind == 1:  # Sub
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif kind == 2:  # Up: byte-wise addition of two rows at once
            a, b = int.from_bytes(line, 'big'), int.from_bytes(previous, 'big')
            line = bytearray((((a & low7) + (b & low7)) ^ ((a ^ b) & high)).to_bytes(stride, 'big'))
        elif kind == 3:  # Average
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 255
        elif kind == 4:  # Paeth
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = previous[i]
                c = previous[i - bpp] if i >= bpp else 0
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        elif kind != 0:
            raise SystemExit('%s: row %d has filter %d' % (path, y, kind))
        rows.append(bytes(line))
        previous = line
    return width, height, bpp, rows


def png(path, colours):
    width, height, bpp, rows = png_rows(path)
    wanted = [tuple(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in colours]
    seen = set()
    nonwhite = 0
    near = [0] * len(wanted)
    for row in rows:
        for x in range(0, len(row), bpp):
            pixel = (row[x], row[x + 1], row[x + 2])
            seen.add(pixel)
            if pixel[0] < 240 or pixel[1] < 240 or pixel[2] < 240:
                nonwhite += 1
                for i, w in enumerate(wanted):
                    if abs(pixel[0] - w[0]) + abs(pixel[1] - w[1]) + abs(pixel[2] - w[2]) <= 12:
                        near[i] += 1
    print(width, height, len(seen), nonwhite * 1000 // (width * height))
    for colour, count in zip(colours, near):
        print(colour, count)


def main():
    command, path = sys.argv[1], sys.argv[2]
    if command == 'png':
        png(path, sys.argv[3:])
        return
    root = load(path)
    if command == 'check':
        lines = check(root)
    elif command == 'metrics':
        lines = sorted('%s\t%s' % (e.attrib['data-metric'], text_of(e))
                       for e in root.iter() if 'data-metric' in e.attrib)
    elif command == 'bars':
        lines = bars(root)
    elif command == 'sparks':
        lines = sparks(root)
    elif command == 'devices':
        lines = table_rows(root, 'data-events', ['data-device', 'data-events'])
        lines = [line for line in lines if line.count('\t') == 2 and line.split('\t')[1] != '']
    elif command == 'groups':
        lines = table_rows(root, 'data-event-id',
                           ['data-device', 'data-source', 'data-event-id', 'data-count'])
    elif command == 'attr':
        lines = [e.attrib[sys.argv[3]] for e in root.iter() if sys.argv[3] in e.attrib]
    elif command == 'cells':
        found = [e for e in root.iter() if e.attrib.get(sys.argv[3]) == sys.argv[4]]
        lines = [json.dumps([text_of(c) for c in found[0]] if found else None,
                            ensure_ascii=False)]
    elif command == 'hostnames':
        lines = [json.dumps(hostnames(root), ensure_ascii=False)]
    else:
        raise SystemExit('unknown command %s' % command)
    for line in lines:
        print(line)


if __name__ == '__main__':
    main()
