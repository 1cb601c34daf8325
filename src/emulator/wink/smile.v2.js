/* SPDX-License-Identifier: MIT */
/*
 * smile-emulator's stand-in for the Wink SDK (the official one is loaded from
 * web.smileapi.io/v2/smile.v2.js). It defines the same global SmileLinkModal,
 * takes the same options and calls the same callbacks with the same
 * arguments, so a page written for the real SDK runs unchanged against the
 * emulator. Like the real SDK it shows the widget in a modal iframe, here
 * served by the emulator this script came from; the widget talks to the
 * emulator with the user token only, and reports back with postMessage.
 *
 * apiHost is accepted and ignored: the widget always talks to the emulator
 * that served this script.
 */
(function () {
	'use strict';

	var here = document.currentScript ? document.currentScript.src : location.href;
	var widgetUrl = new URL('widget.html', here);

	/* What the widget needs to know: plain data only, functions stay here. */
	var SETTINGS = ['userToken', 'templateId', 'apiHost', 'topProviders', 'providers',
		'enableSearchBar', 'enableTypeBar', 'enableUpload', 'companyName', 'enableConsentPage'];
	var CALLBACKS = ['onAccountCreated', 'onAccountConnected', 'onAccountRemoved',
		'onAccountError', 'onTokenExpired', 'onClose', 'onUploadsCreated', 'onUploadsRemoved',
		'onUIEvent'];

	function settingsOf(options) {
		var out = {};
		SETTINGS.forEach(function (key) {
			if (options[key] !== undefined && typeof options[key] !== 'function')
				out[key] = options[key];
		});
		return out;
	}

	function SmileLinkModal(options) {
		if (!(this instanceof SmileLinkModal))
			throw new TypeError("SmileLinkModal must be called with 'new'");
		this.options = options || {};
		this.overlay = null;
		this.frame = null;
		this.listener = null;
	}

	/* A callback of the page that throws must not stop the widget. */
	SmileLinkModal.prototype.call = function (name, args) {
		var fn = this.options[name];
		if (CALLBACKS.indexOf(name) < 0 || typeof fn !== 'function')
			return;
		try {
			if (name === 'onTokenExpired')
				fn();
			else
				fn(args || {});
		} catch (e) {
			console.error('SmileLinkModal: ' + name + ' threw', e);
		}
	};

	SmileLinkModal.prototype.open = function () {
		var self = this;
		if (this.overlay)
			return;
		var overlay = document.createElement('div');
		overlay.setAttribute('data-smile-wink', '');
		overlay.style.cssText = 'position:fixed;inset:0;z-index:2147483647;display:flex;' +
			'align-items:center;justify-content:center;background:rgba(15,23,42,0.55)';
		var frame = document.createElement('iframe');
		frame.title = 'Smile Wink';
		frame.src = widgetUrl.href;
		frame.setAttribute('allow', 'clipboard-write');
		frame.style.cssText = 'width:400px;max-width:100vw;height:640px;max-height:100vh;' +
			'border:0;border-radius:12px;background:#fff;box-shadow:0 12px 40px rgba(0,0,0,0.3)';
		overlay.appendChild(frame);

		this.listener = function (event) {
			if (event.source !== frame.contentWindow || event.origin !== widgetUrl.origin)
				return;
			var msg = event.data || {};
			if (msg.type === 'wink:ready') {
				frame.contentWindow.postMessage({ type: 'wink:init',
					settings: settingsOf(self.options) }, widgetUrl.origin);
			} else if (msg.type === 'wink:callback') {
				if (msg.name === 'onClose')
					self.close();
				self.call(msg.name, msg.args);
			}
		};
		window.addEventListener('message', this.listener);
		this.overlay = overlay;
		this.frame = frame;
		(document.body || document.documentElement).appendChild(overlay);
	};

	/* Removes the modal without calling onClose (the page asked for it). */
	SmileLinkModal.prototype.close = function () {
		if (!this.overlay)
			return;
		window.removeEventListener('message', this.listener);
		this.overlay.remove();
		this.overlay = this.frame = this.listener = null;
	};

	window.SmileLinkModal = SmileLinkModal;
})();
