/*
 * The JsOrc page of the Felix Web Console. No library and no external asset: the page must work offline.
 * It reads state.json and glob.json and POSTs JSON (with X-Requested-By, which the plugin requires) to save.json
 * and refresh.json. A form's save is exactly config_set with the revision it was loaded at, then service_refresh.
 */
(function () {
    'use strict';

    var root = document.getElementById('jsorc');
    var base = root.getAttribute('data-base');
    var MASK = '********';

    function el(tag, attrs, children) {
        var node = document.createElement(tag);
        Object.keys(attrs || {}).forEach(function (k) {
            if (k === 'text') {
                node.textContent = attrs[k];
            } else if (k === 'class') {
                node.className = attrs[k];
            } else {
                node.setAttribute(k, attrs[k]);
            }
        });
        (children || []).forEach(function (c) {
            if (c !== null && c !== undefined) {
                node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
            }
        });
        return node;
    }

    function request(method, path, body) {
        var init = {method: method, credentials: 'same-origin', headers: {'Accept': 'application/json'}};
        if (body !== undefined) {
            init.headers['Content-Type'] = 'application/json';
            init.headers['X-Requested-By'] = 'jsorc-webconsole';
            init.body = JSON.stringify(body);
        }
        // an absolute URL without user-info: a page opened with user:pw@ in its address cannot fetch relative URLs
        return fetch(window.location.origin + base + path, init).then(function (resp) {
            return resp.json().then(function (json) {
                return {status: resp.status, body: json};
            }, function () {
                return {status: resp.status, body: {message: 'HTTP ' + resp.status + ' ' + resp.statusText}};
            });
        });
    }

    function status(text, error) {
        var line = document.getElementById('jsorc-status');
        line.textContent = text;
        line.className = 'statline ' + (error ? 'ui-state-error' : 'ui-state-highlight');
    }

    function button(text, attrs, onClick) {
        var b = el('button', Object.assign({'class': 'ui-state-default ui-corner-all', type: 'button', text: text},
            attrs));
        b.addEventListener('click', onClick);
        return b;
    }

    function section(title, id) {
        var header = el('div', {'class': 'ui-widget-header ui-corner-top jsorc-header', text: title});
        var body = el('div', {id: id, 'class': 'jsorc-section'});
        return el('div', {'class': 'jsorc-block'}, [header, body]);
    }

    function table(headers, rows, id) {
        var head = el('thead', {}, [el('tr', {}, headers.map(function (h) {
            return el('th', {'class': 'ui-widget-header', text: h});
        }))]);
        return el('table', {'class': 'tablesorter nicetable', id: id}, [head, el('tbody', {}, rows)]);
    }

    function cell(text, attrs) {
        return el('td', Object.assign({text: text === null || text === undefined ? '' : String(text)}, attrs || {}));
    }

    // ------------------------------------------------------------------------------------------ the overview

    function render(state) {
        var keep = document.getElementById('jsorc-form-block');
        root.innerHTML = '';
        root.appendChild(el('p', {'class': 'statline ui-state-highlight', id: 'jsorc-status',
            text: state.services.length + ' services, ' + state.globs.length + ' globs'}));

        var services = section('Services', 'jsorc-services');
        services.lastChild.appendChild(table(['Service', 'State', 'Enabled', 'Bundle', 'Restarts', 'Last error',
            'Quarantine', ''], state.services.map(function (s) {
            return el('tr', {id: 'svc-' + s.name}, [
                cell(s.name), cell(s.state, {id: 'state-' + s.name, 'class': 'jsorc-state-' + s.state}),
                cell(s.enabled ? 'yes' : 'no'), cell(s.bundle), cell(s.restarts),
                cell(s.last_error, {'class': 'jsorc-error'}),
                cell(s.quarantined ? 'quarantined (' + s.failures + ' failures)' : ''),
                el('td', {}, [button('Refresh', {id: 'refresh-' + s.name}, function () { refresh(s.name); })])
            ]);
        }), 'jsorc-services-table'));
        root.appendChild(services);

        var automation = section('Automation', 'jsorc-automation');
        var a = state.automation;
        automation.lastChild.appendChild(a ? table(['Automation', 'Loop', 'Ticks', 'Last tick', 'Next tick',
            'Interval (s)', 'Kubernetes', 'Keep alive'], [el('tr', {}, [cell(a.automation ? 'on' : 'off'),
            cell(a.running ? 'running' : 'stopped'), cell(a.ticks), cell(a.last_tick), cell(a.next_tick),
            cell(a.backoff_interval), cell(a.cluster), cell(a.keep_alive.join(', '))])], 'jsorc-automation-table')
            : el('p', {text: 'The automation loop (feature jsorc-loop) is not installed.'}));
        root.appendChild(automation);

        var globs = section('Config globs', 'jsorc-globs');
        globs.lastChild.appendChild(table(['Glob', 'Revision', 'Changed', 'By', ''], state.globs
            .filter(function (g) { return !g.manifest; }).map(function (g) {
                return el('tr', {id: 'glob-' + g.name}, [cell(g.name), cell(g.revision, {id: 'rev-' + g.name}),
                    cell(g.time), cell(g.error || g.origin),
                    el('td', {}, [button('Edit', {id: 'edit-' + g.name}, function () { openForm(g.name); })])]);
            }), 'jsorc-globs-table'));
        root.appendChild(globs);

        var manifests = state.globs.filter(function (g) { return g.manifest; });
        var mf = section('Manifests', 'jsorc-manifests');
        mf.lastChild.appendChild(manifests.length === 0
            ? el('p', {text: 'No *_MANIFEST globs. Kubernetes reconciliation (feature jsorc-kube) is not installed.'})
            : table(['Manifest', 'Revision', 'Changed', 'By'], manifests.map(function (g) {
                return el('tr', {}, [cell(g.name), cell(g.revision), cell(g.time), cell(g.origin)]);
            }), 'jsorc-manifests-table'));
        root.appendChild(mf);

        var refused = section('Refused outside edits', 'jsorc-refused');
        refused.lastChild.appendChild(state.refused.length === 0
            ? el('p', {text: 'None since this page\'s bundle started.'})
            : table(['Glob', 'When', 'By', 'Why'], state.refused.map(function (r) {
                return el('tr', {'class': 'jsorc-refusal'}, [cell(r.name), cell(new Date(r.time).toISOString()),
                    cell(r.origin), cell(r.message)]);
            }), 'jsorc-refused-table'));
        root.appendChild(refused);
        if (keep) {
            root.appendChild(keep);
        }
    }

    function load() {
        return request('GET', '/state.json').then(function (r) {
            if (r.status !== 200) {
                status('Could not load: ' + (r.body.message || r.status), true);
                return;
            }
            render(r.body);
        }).catch(function (e) { status('Could not load: ' + e, true); });
    }

    function refresh(name) {
        status('Refreshing ' + name + '…');
        request('POST', '/refresh.json', {name: name}).then(function (r) {
            if (r.status !== 200) {
                status(r.body.message, true);
                return;
            }
            load().then(function () { status('Refreshed ' + name + ': ' + r.body.state); });
        }).catch(function (e) { status('Refresh of ' + name + ' failed: ' + e, true); });
    }

    // ------------------------------------------------------------------------------------------ the form

    function isObject(v) {
        return v !== null && typeof v === 'object' && !Array.isArray(v);
    }

    /** The value at a dotted id: a literal key first, then a path into nested objects (as the store does). */
    function lookup(obj, id) {
        if (!isObject(obj)) {
            return {found: false};
        }
        if (Object.prototype.hasOwnProperty.call(obj, id)) {
            return {found: true, value: obj[id]};
        }
        for (var dot = id.indexOf('.'); dot > 0; dot = id.indexOf('.', dot + 1)) {
            var inner = obj[id.substring(0, dot)];
            if (isObject(inner)) {
                var found = lookup(inner, id.substring(dot + 1));
                if (found.found) {
                    return found;
                }
            }
        }
        return {found: false};
    }

    function text(v) {
        return v === null || v === undefined ? '' : (typeof v === 'object' ? JSON.stringify(v) : String(v));
    }

    function input(field, value, index) {
        var id = 'jsorc-f-' + index;
        var attrs = {id: id, 'data-field': field.id, 'class': 'jsorc-input'};
        if (field.cardinality !== 0) {
            var lines = Array.isArray(value) ? value.map(text) : (value === null || value === undefined ? []
                : [text(value)]);
            return el('textarea', Object.assign(attrs, {rows: Math.max(2, lines.length + 1), cols: 40,
                title: 'One value per line'}), [lines.join('\n')]);
        }
        if (field.options) {
            var select = el('select', attrs, [el('option', {value: '', text: ''})].concat(field.options
                .map(function (o, i) {
                    return el('option', {value: o, text: field.labels ? field.labels[i] : o});
                })));
            select.value = text(value);
            return select;
        }
        if (field.type === 'boolean') {
            var box = el('input', Object.assign(attrs, {type: 'checkbox'}));
            box.checked = value === true;
            return box;
        }
        if (field.type !== 'password' && typeof value === 'string' && value.indexOf('\n') >= 0) {
            // a single-line input would drop the line breaks of a multi-line text
            return el('textarea', Object.assign(attrs, {rows: Math.min(20, value.split('\n').length + 1), cols: 60}),
                [value]);
        }
        var i = el('input', Object.assign(attrs, {type: field.type === 'password' ? 'password' : 'text', size: 40}));
        i.value = text(value);
        return i;
    }

    function convert(field, raw) {
        var t = raw.trim();
        if (t === '') {
            return null;
        }
        if (field.type === 'integer' && /^-?\d+$/.test(t) && Number.isSafeInteger(Number(t))) {
            return Number(t);
        }
        if (field.type === 'number' && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(t)) {
            return Number(t);
        }
        if (field.type === 'boolean' && (t === 'true' || t === 'false')) {
            return t === 'true';
        }
        return raw; // a text: the store refuses it where the field is not one, naming the field
    }

    /** What an input shows, to tell whether the user changed it. */
    function state(node) {
        return node.type === 'checkbox' ? String(node.checked) : node.value;
    }

    function fieldValue(field, node) {
        if (field.cardinality !== 0) {
            // one value per line; an empty line is a null (as one is shown), trailing empty lines are nothing
            var lines = node.value.split('\n');
            while (lines.length && lines[lines.length - 1].trim() === '') {
                lines.pop();
            }
            return lines.map(function (l) { return l.trim() === '' ? null : convert(field, l); });
        }
        if (node.type === 'checkbox') {
            return node.checked;
        }
        if (node.tagName === 'SELECT') {
            return node.value === '' ? null : convert(field, node.value);
        }
        return field.type === 'string' || field.type === 'password' ? (node.value === '' ? null : node.value)
            : convert(field, node.value);
    }

    function openForm(name) {
        request('GET', '/glob.json?name=' + encodeURIComponent(name)).then(function (r) {
            if (r.status !== 200) {
                status(r.body.message, true);
                return;
            }
            showForm(r.body);
        }).catch(function (e) { status('Could not open ' + name + ': ' + e, true); });
    }

    function showForm(glob) {
        var old = document.getElementById('jsorc-form-block');
        if (old) {
            old.parentNode.removeChild(old);
        }
        var raw = !glob.form || (glob.value !== null && !isObject(glob.value));
        var fields = raw ? [] : glob.form.fields;
        var value = glob.value;
        var block = section('Edit ' + glob.name + ' (revision ' + glob.revision + ')', 'jsorc-form');
        block.id = 'jsorc-form-block';
        var body = block.lastChild;
        if (glob.form && glob.form.description) {
            body.appendChild(el('p', {'class': 'jsorc-description', text: glob.form.description}));
        }
        var message = el('p', {id: 'jsorc-form-message', 'class': 'jsorc-message'});
        body.appendChild(message);
        var rows = fields.map(function (f, index) {
            var current = lookup(value, f.id);
            var node = input(f, current.found ? current.value : null, index);
            f.node = node;
            f.initial = state(node);
            return el('tr', {'class': 'jsorc-field'}, [
                el('td', {}, [el('label', {'for': node.id, text: f.title}), el('div', {'class': 'jsorc-id', text: f.id})]),
                el('td', {}, [node, el('div', {'class': 'jsorc-hint', text: f.description || ''}),
                    el('div', {'class': 'jsorc-field-error ui-state-error-text', 'data-error-for': f.id})])
            ]);
        });
        // the server's own JSON text: numbers shown (and sent back) exactly as stored
        var restText = el('textarea', {id: 'jsorc-rest', rows: raw ? 12 : 4, cols: 80}, [raw ? glob.raw : glob.rest]);
        var restInitial = restText.value;
        rows.push(el('tr', {}, [el('td', {}, [el('label', {'for': 'jsorc-rest',
            text: raw ? 'Value (JSON)' : 'Other keys (JSON)'})]),
            el('td', {}, [restText, el('div', {'class': 'jsorc-hint', text: raw ? 'This glob has no form: its JSON value'
                : 'Keys the form does not cover'}),
                el('div', {'class': 'jsorc-field-error ui-state-error-text', 'data-error-for': '(rest)'})])]));
        body.appendChild(el('table', {'class': 'nicetable jsorc-form-table'}, [el('tbody', {}, rows)]));
        body.appendChild(el('p', {}, [
            button('Save and refresh', {id: 'jsorc-save'}, function () {
                save(glob, fields, raw, restText, restInitial, message);
            }),
            ' ',
            button('Close', {id: 'jsorc-close'}, function () { block.parentNode.removeChild(block); })
        ]));
        var history = glob.history || [];
        body.appendChild(el('div', {'class': 'jsorc-subheader', text: 'History (the last revisions kept on this node; '
            + 'jsorc:config-diff and jsorc:config-rollback work on them; the full trail is data/log/jsorc-audit.log)'}));
        body.appendChild(history.length === 0 ? el('p', {text: 'None seen yet.'})
            : table(['Revision', 'When', 'By', 'Value'], history.map(function (h) {
                return el('tr', {}, [cell(h.revision),
                    cell(new Date(h.time).toISOString()), cell(h.origin), cell(h.value, {'class': 'jsorc-value'})]);
            }), 'jsorc-history-table'));
        root.appendChild(block);
        block.scrollIntoView();
    }

    function clearErrors() {
        Array.prototype.forEach.call(document.querySelectorAll('[data-error-for]'), function (n) {
            n.textContent = '';
        });
    }

    function showErrors(text, message) {
        message.textContent = text;
        message.className = 'jsorc-message ui-state-error';
        var detail = text.indexOf(': ') >= 0 ? text.substring(text.indexOf(': ') + 2) : text;
        detail.split('; ').forEach(function (part) {
            var id = part.split(' ')[0].replace(/\[\d+\]$/, '');
            var target = document.querySelector('[data-error-for="' + (window.CSS && CSS.escape ? CSS.escape(id)
                : id) + '"]');
            if (target) {
                target.textContent = part;
            }
        });
    }

    /**
     * Sends only what the user changed: the changed fields (by id) and, when its text changed, the JSON of the keys
     * the form does not cover; the server builds the new value from the stored one, so nothing untouched passes
     * through the browser's numbers (1.0 stays 1.0, 2^63 stays 2^63). A glob without a form is sent as JSON text.
     */
    function save(glob, fields, raw, restText, restInitial, message) {
        clearErrors();
        var body = {name: glob.name, rev: glob.revision};
        if (raw) {
            body.raw = restText.value;
        } else {
            body.fields = {};
            fields.forEach(function (f) {
                if (state(f.node) !== f.initial) {
                    body.fields[f.id] = fieldValue(f, f.node);
                }
            });
            if (restText.value !== restInitial) {
                var after;
                try {
                    after = JSON.parse(restText.value || '{}');
                } catch (e) {
                    after = null;
                }
                if (!isObject(after)) {
                    showErrors('(rest) must be a JSON object', message);
                    return;
                }
                body.rest = restText.value;
            }
        }
        message.textContent = 'Saving…';
        message.className = 'jsorc-message';
        request('POST', '/save.json', body).then(function (r) {
            if (r.status === 409) {
                showErrors(r.body.message + ' — Close and Edit again to load the new revision.', message);
                return;
            }
            if (r.status !== 200) {
                showErrors(r.body.message, message);
                return;
            }
            var text = 'Saved revision ' + r.body.revision + '; refreshed: '
                + (r.body.refreshed.length ? r.body.refreshed.join(', ') : 'no service reads it')
                + (r.body.refresh_failed && r.body.refresh_failed.length
                    ? '; refresh failed: ' + r.body.refresh_failed.join('; ') : '');
            message.className = 'jsorc-message ui-state-highlight';
            message.textContent = text;
            load().then(function () { openFormKeepingMessage(glob.name, text); });
        }).catch(function (e) { showErrors('Not saved: ' + e, message); });
    }

    function openFormKeepingMessage(name, text) {
        request('GET', '/glob.json?name=' + encodeURIComponent(name)).then(function (r) {
            if (r.status === 200) {
                showForm(r.body);
                var m = document.getElementById('jsorc-form-message');
                m.textContent = text;
                m.className = 'jsorc-message ui-state-highlight jsorc-saved';
            }
        }).catch(function (e) { status('Could not reload ' + name + ': ' + e, true); });
    }

    load();
}());
