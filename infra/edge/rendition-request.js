// biome-ignore-all lint/correctness/noUnusedVariables: CloudFront calls handler by name
// biome-ignore-all lint/style/useTemplate: plain ES5 throughout
// Viewer-request CloudFront Function (cloudfront-js-2.0), rules in docs/cdn-renditions.md:
// `/<key>?w=800&format=auto` becomes `/_renditions/<key>/w=800,format=webp` (canonicalSpec's text)
// with no query, so each rendition is one cache key; bad requests are answered here. CONFIG is
// prepended at build time (rendition-edge.ts). Plain ES5, no trailing commas in calls.

var ORDER = ['w', 'h', 'fit', 'format', 'q'];
var WHOLE = /^[1-9][0-9]{0,8}$/; // 9 digits at most: exact, and more than any bound
var PRIVATE = new RegExp(CONFIG.privatePattern); // on the lower-cased path: `/_`, `/%5f`
var CLIENT = new RegExp(CONFIG.clientPattern);
var OBJECT = new RegExp(CONFIG.objectPattern);

function handler(event) {
  var request = event.request;
  var id = event.context.requestId;
  var uri = request.uri;
  var names = Object.keys(request.querystring || {});
  var parts = uri.split('/');
  var canonical;
  if (PRIVATE.test(uri.toLowerCase())) return notFound(id);
  if (names.length === 0) return request;
  if (parts.length !== 3 || parts[0] !== '' || !CLIENT.test(parts[1]) || !OBJECT.test(parts[2])) {
    return notFound(id);
  }
  try {
    canonical = canonicalOf(parametersOf(request.querystring, names), request.headers || {});
  } catch (e) {
    if (!e.edgeError) throw e;
    return answer(400, e.edgeError, e.message, e.parameter, id);
  }
  request.querystring = {};
  if (canonical !== '') request.uri = '/' + CONFIG.renditionPrefix + uri.slice(1) + '/' + canonical;
  return request;
}

function notFound(id) {
  return answer(404, 'NOT_FOUND', 'no such object', undefined, id);
}

function fail(code, parameter, message) {
  return { edgeError: code, parameter: parameter.slice(0, 40), message: message };
}

function shown(value) {
  return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '...' : value);
}

function invalid(name, value, allowed) {
  return fail('INVALID_PARAMETER', name, name + ' must be ' + allowed + ', got ' + shown(value));
}

// Lower-cased name -> its value. Sorted, so which parameter an error names is stable.
function parametersOf(querystring, names) {
  var values = Object.create(null); // `constructor=1` is just a name
  var sorted = [];
  var params = {};
  var list, name, message, i, j;
  for (i = 0; i < names.length; i++) {
    list = querystring[names[i]].multiValue || [querystring[names[i]]];
    name = names[i].toLowerCase();
    if (!values[name]) sorted.push(name);
    values[name] = values[name] || [];
    for (j = 0; j < list.length; j++) values[name].push(list[j].value);
  }
  sorted.sort();
  for (i = 0; i < sorted.length; i++) {
    name = sorted[i];
    if (ORDER.indexOf(name) < 0) {
      message = 'unknown parameter ' + shown(name) + ', allowed are ' + ORDER.join(', ');
      throw fail('UNKNOWN_PARAMETER', name, message);
    }
    if (values[name].length > 1) {
      throw fail('INVALID_PARAMETER', name, name + ' must be given once, got ' + values[name].length);
    }
    params[name] = values[name][0];
  }
  return params;
}

function canonicalOf(params, headers) {
  var w = size('w', params.w);
  var h = size('h', params.h);
  var fit = params.fit === undefined ? CONFIG.defaultFit : params.fit.toLowerCase();
  var profile = CONFIG.profiles.indexOf(fit) >= 0;
  var format = params.format === undefined ? undefined : params.format.toLowerCase();
  var q = params.q === undefined ? undefined : whole('q', params.q, 100);
  var parts = [];
  var message, i;
  if (!profile && CONFIG.fits.indexOf(fit) < 0) {
    throw invalid('fit', params.fit, 'one of ' + CONFIG.fits.concat(CONFIG.profiles).join(', '));
  }
  if (format !== undefined && format !== 'auto' && CONFIG.formats.indexOf(format) < 0) {
    throw invalid('format', params.format, 'one of ' + CONFIG.formats.join(', ') + ', auto');
  }
  if (profile) {
    for (i = 0; i < ORDER.length; i++) {
      if (ORDER[i] !== 'fit' && params[ORDER[i]] !== undefined) {
        message =
          ORDER[i] + ' cannot be combined with fit=' + fit + ', a model profile takes no other parameter';
        throw fail('INVALID_PARAMETER', ORDER[i], message);
      }
    }
    return 'fit=' + fit;
  }
  if (fit !== CONFIG.defaultFit && (w === undefined || h === undefined)) {
    throw fail('INVALID_PARAMETER', 'fit', 'fit=' + fit + ' needs both w and h');
  }
  // A lossless format has no default quality, and takes no q.
  if (q !== undefined && format !== undefined && format !== 'auto' && !CONFIG.defaultQuality[format]) {
    throw fail('INVALID_PARAMETER', 'q', 'q does not apply to format=' + format);
  }
  if (q !== undefined && CONFIG.sizes) q = Math.ceil(q / CONFIG.qualityStep) * CONFIG.qualityStep;
  if (format === 'auto') format = autoFormat(headers.accept);
  if (format !== undefined && q === CONFIG.defaultQuality[format]) q = undefined;
  if (w !== undefined) parts.push('w=' + w);
  if (h !== undefined) parts.push('h=' + h);
  if (fit !== CONFIG.defaultFit) parts.push('fit=' + fit);
  if (format !== undefined) parts.push('format=' + format);
  if (q !== undefined) parts.push('q=' + q);
  return parts.join(',');
}

function whole(name, value, max) {
  var n = WHOLE.test(value) ? parseInt(value, 10) : 0;
  if (n < 1 || n > max) throw invalid(name, value, 'a whole number from 1 to ' + max);
  return n;
}

// Snapped up to the next listed size. maxSize is the largest one (or maxEdgePx): never snap down.
function size(name, value) {
  var n, i;
  if (value === undefined) return undefined;
  n = whole(name, value, CONFIG.maxSize);
  for (i = 0; CONFIG.sizes && i < CONFIG.sizes.length; i++) {
    if (CONFIG.sizes[i] >= n) return CONFIG.sizes[i];
  }
  return n;
}

// AVIF, else WebP, else the stored image's own format: three variants at most.
function autoFormat(accept) {
  var list = accept ? accept.multiValue || [accept] : [];
  var items = [];
  var i;
  for (i = 0; i < list.length; i++) items.push(list[i].value);
  items = items.join(',').toLowerCase().split(',');
  if (accepts(items, 'image/avif')) return 'avif';
  if (accepts(items, 'image/webp')) return 'webp';
  return undefined;
}

// Named with q > 0; `image/avif;q=0` refuses it. `image/*` and `*/*` do not count: browsers send
// them for formats they cannot decode.
function accepts(items, type) {
  var accepted = false;
  var params, pair, q, i, j;
  for (i = 0; i < items.length; i++) {
    params = items[i].split(';');
    if (params[0].trim() !== type) continue;
    q = 1;
    for (j = 1; j < params.length; j++) {
      pair = params[j].split('=');
      if (pair[0].trim() === 'q') q = parseFloat(pair[1]);
    }
    if (!(q > 0)) return false;
    accepted = true;
  }
  return accepted;
}

function answer(status, error, message, parameter, id) {
  var body = { error: error, message: message, parameter: parameter, requestId: id };
  return {
    statusCode: status,
    statusDescription: status === 404 ? 'Not Found' : 'Bad Request',
    headers: CONFIG.errorHeaders,
    body: { encoding: 'text', data: JSON.stringify(body) },
  };
}
