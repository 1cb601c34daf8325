/* SPDX-License-Identifier: MIT */
/*
 * The Wink widget as smile-emulator plays it, inside the iframe that
 * smile.v2.js opens. Screens: consent, provider list, login, verification
 * code, connected, error, token expired, and the document upload and revoke
 * paths. Every screen is announced with onUIEvent under the event names of
 * the docs; every other callback fires where the real widget fires it.
 *
 * The widget talks to the emulator under /_emulator/wink/api/ with the user
 * token as a bearer token (never the API key), and to the page only through
 * postMessage to the origin that sent it its settings.
 */
(function () {
	'use strict';

	var API = new URL('../api/', location.href);
	var MAX_TOP_PROVIDERS = 10; /* the docs' limit for topProviders */
	var screen = document.getElementById('screen');
	var parentOrigin = null;
	var settings = {};
	var session = null; /* {userId, mode, providers, fileTypes, accounts, archives} */

	/* ---- talking to the page -------------------------------------------- */

	function callback(name, args) {
		if (parentOrigin)
			window.parent.postMessage({ type: 'wink:callback', name: name, args: args || {} },
				parentOrigin);
	}

	function uiEvent(eventName, account, archive) {
		callback('onUIEvent', {
			eventName: eventName,
			eventTime: new Date().toISOString(),
			mode: session ? session.mode : 'SANDBOX',
			userId: session ? session.userId : null,
			account: account || {},
			archive: archive || {},
		});
	}

	function closeWith(reason) {
		callback('onClose', { reason: reason });
	}

	function accountArgs(account) {
		return { accountId: account.id, userId: account.userId, providerId: account.providerId };
	}

	/* ---- talking to the emulator ---------------------------------------- */

	function TokenExpired() {}

	function ApiError(status, envelope) {
		this.status = status;
		this.code = envelope && envelope.code;
		this.message = (envelope && envelope.message) || ('HTTP ' + status);
	}

	function api(method, path, body) {
		var init = { method: method, headers: { Authorization: 'Bearer ' + settings.userToken } };
		if (body !== undefined) {
			init.headers['Content-Type'] = 'application/json';
			init.body = JSON.stringify(body);
		}
		return fetch(new URL(path, API), init).then(function (res) {
			return res.json().catch(function () { return null; }).then(function (envelope) {
				if (res.status === 401)
					throw new TokenExpired();
				if (!res.ok)
					throw new ApiError(res.status, envelope);
				return envelope.data;
			});
		});
	}

	/* Token expiry shows its own screen wherever it strikes; anything else
	 * is an error screen whose Exit closes with reason "error". */
	function failed(err) {
		if (err instanceof TokenExpired)
			showExpired();
		else
			showFailure(err instanceof ApiError ? err.message : String(err));
	}

	/* ---- building screens ----------------------------------------------- */

	function h(tag, attrs) {
		var el = document.createElement(tag);
		Object.keys(attrs || {}).forEach(function (k) {
			if (k === 'text')
				el.textContent = attrs[k];
			else if (k === 'onclick')
				el.addEventListener('click', attrs[k]);
			else
				el.setAttribute(k, attrs[k]);
		});
		for (var i = 2; i < arguments.length; i++)
			if (arguments[i])
				el.appendChild(arguments[i]);
		return el;
	}

	function show() {
		screen.replaceChildren.apply(screen, arguments);
		var focus = screen.querySelector('input, button');
		if (focus)
			focus.focus();
	}

	function button(label, cls, onclick) {
		return h('button', { type: 'button', class: cls, text: label, onclick: onclick });
	}

	function field(id, label, type, extra) {
		var input = h('input', Object.assign({ id: id, name: id, type: type }, extra || {}));
		return [h('label', { for: id, text: label }), input];
	}

	function form(onsubmit, children, submitLabel) {
		var submit = h('button', { type: 'submit', class: 'primary', text: submitLabel });
		var f = h('form', { novalidate: '' });
		children.forEach(function (c) { f.appendChild(c); });
		f.appendChild(submit);
		f.addEventListener('submit', function (e) {
			e.preventDefault();
			submit.disabled = true;
			onsubmit(f, function () { submit.disabled = false; });
		});
		return f;
	}

	/* companyName as the docs' Consent and Login screens show it, else
	 * "the app" (Company() to start a sentence). */
	function company() {
		return settings.companyName || 'the app';
	}

	function Company() {
		return settings.companyName || 'This app';
	}

	/* ---- consent and provider list -------------------------------------- */

	function visibleProviders() {
		var all = session.providers;
		if (Array.isArray(settings.providers) && settings.providers.length)
			all = all.filter(function (p) { return settings.providers.indexOf(p.id) >= 0; });
		return all;
	}

	function start() {
		var only = visibleProviders();
		var single = only.length === 1 && !settings.enableUpload;
		if (single && settings.enableConsentPage === false)
			showLogin(only[0]);
		else
			showConsent(single ? only[0] : null);
	}

	function showConsent(single) {
		uiEvent('ConsentPageOpened');
		show(h('h1', { text: 'Link your work account' }),
			h('p', { text: Company() + ' uses Smile to get your employment and income data ' +
				'from the work accounts you choose. Your login details are never shared with ' +
				company() + '.' }),
			h('p', { class: 'muted', text: 'By continuing you agree that Smile reads this data ' +
				'on your behalf. You can revoke access at any time.' }),
			button('Continue', 'primary', function () {
				if (single)
					showLogin(single);
				else
					showProviders();
			}));
	}

	function connectedAccount(providerId) {
		return session.accounts.filter(function (a) {
			return a.providerId === providerId && a.connectionStatus === 'CONNECTED';
		})[0];
	}

	function providerItem(p) {
		var account = connectedAccount(p.id);
		var b = h('button', { type: 'button', class: 'item', 'aria-label': p.name, onclick: function () {
			if (account)
				showRevoke(p, account);
			else
				showLogin(p);
		} }, h('span', { text: p.name }), h('span', { class: 'tag', text: account ? 'Connected' : p.typeLabel }));
		return h('li', {}, b);
	}

	function ordered(list) {
		var top = (Array.isArray(settings.topProviders) ? settings.topProviders : []).slice(0, MAX_TOP_PROVIDERS);
		var first = top.map(function (id) {
			return list.filter(function (p) { return p.id === id; })[0];
		}).filter(Boolean);
		return { top: first, rest: list.filter(function (p) { return first.indexOf(p) < 0; }) };
	}

	function showProviders() {
		var query = '', type = '';
		var listEl = h('div');
		function render() {
			var q = query.toLowerCase();
			var match = visibleProviders().filter(function (p) {
				return (!type || p.type === type) &&
					(!q || p.name.toLowerCase().indexOf(q) >= 0 || p.id.indexOf(q) >= 0);
			});
			var parts = ordered(match);
			var nodes = [];
			if (parts.top.length) {
				nodes.push(h('p', { class: 'section', text: 'Top providers' }));
				nodes.push(h.apply(null, ['ul', { class: 'list' }].concat(parts.top.map(providerItem))));
				if (parts.rest.length)
					nodes.push(h('p', { class: 'section', text: 'All providers' }));
			}
			nodes.push(h.apply(null, ['ul', { class: 'list' }].concat(parts.rest.map(providerItem))));
			if (!match.length)
				nodes.push(h('p', { class: 'muted', text: 'No provider matches.' }));
			listEl.replaceChildren.apply(listEl, nodes);
		}
		var parts = [h('h1', { text: 'Select your work account' })];
		if (settings.enableSearchBar !== false) {
			var search = field('search', 'Search providers', 'search', { autocomplete: 'off' });
			search[1].addEventListener('input', function () { query = search[1].value; render(); });
			parts = parts.concat(search);
		}
		if (settings.enableTypeBar !== false)
			parts.push(typeBar(function (t) { type = t; render(); }));
		parts.push(listEl);
		if (settings.enableUpload)
			parts.push(button('Upload documents', 'secondary', showFileTypes));
		var uploads = session.archives.filter(function (a) { return a.state && a.state.status !== 'REVOKED'; });
		uploads.forEach(function (a) {
			parts.push(button('Uploaded ' + a.type + ' (' + a.id + ')', 'secondary', function () { showArchiveRevoke(a); }));
		});
		uiEvent('ProviderListPageOpened');
		show.apply(null, parts);
		render();
	}

	function typeBar(onchange) {
		var types = [];
		visibleProviders().forEach(function (p) {
			if (!types.some(function (t) { return t.type === p.type; }))
				types.push({ type: p.type, label: p.typeLabel });
		});
		var bar = h('div', { class: 'types', role: 'group', 'aria-label': 'Provider types' });
		[{ type: '', label: 'All' }].concat(types).forEach(function (t) {
			var chip = button(t.label, 'chip', function () {
				bar.querySelectorAll('button').forEach(function (c) { c.setAttribute('aria-pressed', 'false'); });
				chip.setAttribute('aria-pressed', 'true');
				onchange(t.type);
			});
			chip.setAttribute('aria-pressed', t.type ? 'false' : 'true');
			bar.appendChild(chip);
		});
		return bar;
	}

	/* ---- login, verification code, outcome ------------------------------ */

	function showLogin(provider) {
		var error = h('p', { class: 'error', role: 'alert' });
		var f = form(function (f, again) {
			api('POST', 'accounts', { providerId: provider.id,
				username: f.elements.username.value, password: f.elements.password.value })
				.then(function (account) {
					callback('onAccountCreated', accountArgs(account));
					afterLogin(provider, account);
				}, function (err) { again(); failed(err); });
		}, [].concat(field('username', 'Username', 'text', { autocomplete: 'username' }),
			field('password', 'Password', 'password', { autocomplete: 'current-password' }), [error]),
		'Log in');
		uiEvent('LoginPageOpened', { providerId: provider.id });
		show(h('h1', { text: 'Log in to ' + provider.name }),
			h('p', { text: 'Your ' + provider.name + ' data will be shared with ' + company() + '.' }),
			h('p', { class: 'muted', text: 'Sandbox identities: George, Ryan, Christina or Anisha, ' +
				'with the passwords of the Smile docs; verification code 1234.' }),
			f, visibleProviders().length > 1 ? button('Back', 'secondary', showProviders) : null);
	}

	function afterLogin(provider, account) {
		if (account.connectionStatus === 'AWAITING_MFA')
			showMfa(provider, account);
		else
			outcome(provider, account);
	}

	function showMfa(provider, account) {
		var f = form(function (f, again) {
			api('POST', 'accounts/' + encodeURIComponent(account.id) + '/mfa',
				{ mfaCode: f.elements.code.value })
				.then(function (a) { outcome(provider, a); }, function (err) { again(); failed(err); });
		}, field('code', 'Verification code', 'text', { inputmode: 'numeric', autocomplete: 'one-time-code' }),
		'Submit');
		uiEvent('MfaPageOpened', { providerId: provider.id, accountId: account.id });
		show(h('h1', { text: 'Enter the verification code' }),
			h('p', { text: provider.name + ' sent a verification code to your phone.' }), f);
	}

	function outcome(provider, account) {
		if (account.connectionStatus === 'CONNECTED')
			showConnected(provider, account);
		else
			showAccountError(provider, account);
	}

	function showConnected(provider, account) {
		session.accounts.push(account);
		callback('onAccountConnected', accountArgs(account));
		uiEvent('ConnectSuccessPageOpened', { providerId: provider.id, accountId: account.id });
		show(h('div', { class: 'big', text: '✓', 'aria-hidden': 'true' }),
			h('h1', { text: 'Account connected' }),
			h('p', { text: 'Your ' + provider.name + ' account is connected. ' + Company() +
				' can now see the data you shared.' }),
			button('DONE', 'primary', function () { closeWith('exit'); }));
	}

	function showAccountError(provider, account) {
		var conn = account.connection || {};
		var args = accountArgs(account);
		args.errorCode = conn.errorCode || 'SYSTEM_ERROR';
		callback('onAccountError', args);
		show(h('h1', { text: 'We could not connect your account' }),
			h('p', { class: 'error', role: 'alert', text: conn.errorMessage || args.errorCode }),
			h('p', { class: 'muted', text: 'Error code: ' + args.errorCode }),
			button('Try again', 'secondary', function () { showLogin(provider); }),
			button('Exit', 'primary', function () { closeWith('error'); }));
	}

	function showFailure(message) {
		show(h('h1', { text: 'Something went wrong' }),
			h('p', { class: 'error', role: 'alert', text: message }),
			button('Exit', 'primary', function () { closeWith('error'); }));
	}

	function showExpired() {
		callback('onTokenExpired');
		show(h('h1', { text: 'This link has expired' }),
			h('p', { text: 'Ask ' + company() + ' for a new link to continue.' }));
	}

	/* ---- revoking an account -------------------------------------------- */

	function showRevoke(provider, account) {
		uiEvent('AccountRevokePageOpened', { providerId: provider.id, accountId: account.id });
		show(h('h1', { text: provider.name + ' is connected' }),
			h('p', { text: 'Disconnect it to stop sharing its data with ' + company() + '.' }),
			button('Disconnect', 'primary', function () {
				api('POST', 'accounts/' + encodeURIComponent(account.id) + '/revoke').then(function () {
					session.accounts = session.accounts.filter(function (a) { return a.id !== account.id; });
					callback('onAccountRemoved', accountArgs(account));
					showProviders();
				}, failed);
			}),
			button('Back', 'secondary', showProviders));
	}

	/* ---- uploads -------------------------------------------------------- */

	function showFileTypes() {
		uiEvent('FileTypeListPageOpened');
		show.apply(null, [h('h1', { text: 'Choose a document type' }),
			h.apply(null, ['ul', { class: 'list' }].concat(session.fileTypes.map(function (ft) {
				return h('li', {}, h('button', { type: 'button', class: 'item', 'aria-label': ft.typeLabel,
					onclick: function () { showFileUpload(ft); } }, h('span', { text: ft.typeLabel })));
			}))),
			button('Back', 'secondary', showProviders)]);
	}

	var EXTENSIONS = { pdf: 'PDF', png: 'PNG', jpg: 'JPG', jpeg: 'JPEG' };

	function readFile(file) {
		return new Promise(function (resolve, reject) {
			var r = new FileReader();
			r.onload = function () { resolve(String(r.result).replace(/^[^,]*,/, '')); };
			r.onerror = function () { reject(r.error); };
			r.readAsDataURL(file);
		});
	}

	function rawFile(file) {
		var ext = EXTENSIONS[(file.name.split('.').pop() || '').toLowerCase()];
		if (!ext)
			return Promise.reject(new Error(file.name + ': only PDF, PNG and JPG files can be uploaded'));
		return readFile(file).then(function (content) {
			return { fileName: file.name, fileExtensionType: ext, fileContent: content };
		});
	}

	function showFileUpload(ft) {
		var error = h('p', { class: 'error', role: 'alert' });
		var f = form(function (f, again) {
			var files = Array.prototype.slice.call(f.elements.document.files);
			if (!files.length) {
				error.textContent = 'Choose a file first.';
				again();
				return;
			}
			Promise.all(files.map(rawFile)).then(function (rawFiles) {
				return api('POST', 'archives', { fileType: ft.type, rawFiles: rawFiles });
			}).then(function (archive) {
				session.archives.push(archive);
				showUploaded(ft, archive);
			}, function (err) {
				again();
				if (err instanceof Error)
					error.textContent = err.message;
				else
					failed(err);
			});
		}, field('document', 'Document', 'file', { accept: '.pdf,.png,.jpg,.jpeg', multiple: '' }).concat([error]),
		'Upload');
		uiEvent('FileTypePageOpened', null, { fileType: ft.type });
		show(h('h1', { text: 'Upload your ' + ft.typeLabel }),
			h('p', { class: 'muted', text: 'PDF, PNG or JPG.' }), f,
			button('Back', 'secondary', showFileTypes));
	}

	function showUploaded(ft, archive) {
		callback('onUploadsCreated', { uploads: [archive], userId: session.userId });
		uiEvent('ArchiveSuccessPageOpened', null, { fileType: ft.type, archiveId: archive.id });
		show(h('div', { class: 'big', text: '✓', 'aria-hidden': 'true' }),
			h('h1', { text: 'Documents uploaded' }),
			h('p', { text: 'Your ' + ft.typeLabel + ' was sent to ' + company() + '.' }),
			button('DONE', 'primary', function () { closeWith('exit'); }));
	}

	function showArchiveRevoke(archive) {
		uiEvent('RevokeArchivePageOpened', null, { fileType: archive.type, archiveId: archive.id });
		show(h('h1', { text: 'Your uploaded ' + archive.type }),
			h('p', { text: 'Delete it to stop sharing it with ' + company() + '.' }),
			button('Delete upload', 'primary', function () {
				api('DELETE', 'archives/' + encodeURIComponent(archive.id)).then(function () {
					archive.state = { status: 'REVOKED' };
					callback('onUploadsRemoved', { uploads: [archive], userId: session.userId });
					showProviders();
				}, failed);
			}),
			button('Back', 'secondary', showProviders));
	}

	/* ---- start ---------------------------------------------------------- */

	document.getElementById('close').addEventListener('click', function () { closeWith('close'); });

	window.addEventListener('message', function (event) {
		var msg = event.data || {};
		if (event.source !== window.parent || msg.type !== 'wink:init' || parentOrigin)
			return;
		/* A page of an opaque origin (file://) can only be answered with '*'. */
		parentOrigin = event.origin === 'null' ? '*' : event.origin;
		settings = msg.settings || {};
		if (!settings.userToken) {
			showExpired();
			return;
		}
		api('POST', 'session', { templateId: settings.templateId || null }).then(function (s) {
			session = s;
			start();
		}, failed);
	});
	/* Settings come from the SDK once it knows this page has loaded. */
	window.parent.postMessage({ type: 'wink:ready' }, '*');
})();
