/* 员福好管家 common.js — top page helpers: the message toast (layer.msg style) and the test hook.
 * ES5 on purpose: the site dates from 2019 and supports old 360/QQ browsers. */
var YF = window.YF || {};
(function () {
  'use strict';
  var RN = window.YF_RENAMED || {};
  var toastLog = [];

  YF.T = function (s) {
    return Object.prototype.hasOwnProperty.call(RN, s) ? RN[s] : s;
  };

  /**
   * Shows a message at the top of the page for `ms` (default 3000) milliseconds, then removes it.
   * type: 'success' | 'error'.
   */
  YF.toast = function (type, text, ms) {
    ms = ms || 3000;
    var box = document.getElementById('yf-toast-box');
    if (!box) {
      box = document.createElement('div');
      box.id = 'yf-toast-box';
      document.body.appendChild(box);
    }
    var wrap = document.createElement('div');
    wrap.className = 'yf-toast-wrap';
    var el = document.createElement('div');
    el.className = 'yf-toast ' + (type === 'success' ? 'yf-toast-success' : 'yf-toast-error');
    el.setAttribute('role', 'alert');
    el.appendChild(document.createTextNode(text));
    wrap.appendChild(el);
    box.appendChild(wrap);
    var entry = { type: type === 'success' ? 'success' : 'error', text: text, shownAt: new Date().getTime(), hiddenAt: null };
    toastLog.push(entry);
    setTimeout(function () {
      if (wrap.parentNode) wrap.parentNode.removeChild(wrap);
      entry.hiddenAt = new Date().getTime();
    }, ms);
    return el;
  };

  function pageName() {
    var c = document.body ? document.body.className : '';
    if (c.indexOf('page-home') >= 0) return 'home';
    if (c.indexOf('page-orders') >= 0) return 'orders';
    if (c.indexOf('login-body') >= 0) return 'login';
    return 'other';
  }

  window.YF = YF;
  window.__yuanfu = {
    state: function () {
      var frame = document.getElementById('posFrame');
      var frameState = null;
      try {
        if (frame && frame.contentWindow && frame.contentWindow.__yuanfu) frameState = frame.contentWindow.__yuanfu.state();
      } catch (e) {
        frameState = null;
      }
      var visible = [];
      var els = document.querySelectorAll('#yf-toast-box .yf-toast');
      for (var i = 0; i < els.length; i++) visible.push(els[i].textContent);
      var store = document.getElementById('storeName');
      return JSON.parse(
        JSON.stringify({
          page: pageName(),
          storeName: store ? store.textContent : '',
          toasts: toastLog,
          visibleToasts: visible,
          frame: frameState
        })
      );
    }
  };
})();
