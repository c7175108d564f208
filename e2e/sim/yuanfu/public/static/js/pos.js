/* 员福好管家 pos.js — the pay form inside the /pos/frame iframe.
 * Posts with XMLHttpRequest; the result is shown as a toast in the TOP page (parent.YF.toast),
 * then, after a success, this frame reloads itself with an empty form. ES5. */
(function () {
  'use strict';
  var RN = window.YF_RENAMED || {};
  function T(s) {
    return Object.prototype.hasOwnProperty.call(RN, s) ? RN[s] : s;
  }
  function $(id) {
    return document.getElementById(id);
  }
  function trim(s) {
    return String(s == null ? '' : s).replace(/^\s+|\s+$/g, '');
  }

  var form = $('payForm');
  var btn = $('btnSubmit');
  var msg = $('formMsg');
  if (!form || !btn) return;
  var st = { submitting: false, lastResult: null };

  function toast(type, text) {
    try {
      if (window.parent !== window && window.parent.YF && window.parent.YF.toast) {
        window.parent.YF.toast(type, text, 3000);
        return;
      }
    } catch (e) {
      /* not reachable: fall through */
    }
    // opened on its own: a toast in this document, same look
    var box = document.getElementById('yf-toast-box');
    if (!box) {
      box = document.createElement('div');
      box.id = 'yf-toast-box';
      document.body.appendChild(box);
    }
    var el = document.createElement('div');
    el.className = 'yf-toast ' + (type === 'success' ? 'yf-toast-success' : 'yf-toast-error');
    el.setAttribute('role', 'alert');
    el.appendChild(document.createTextNode(text));
    box.appendChild(el);
    setTimeout(function () {
      if (el.parentNode) el.parentNode.removeChild(el);
    }, 3000);
  }

  function showMsg(text, field) {
    msg.innerHTML = '';
    msg.appendChild(document.createTextNode(text));
    if (field) $(field).focus();
  }

  // keep only digits and one dot in 消费金额, as the site always did
  $('amount').oninput = function () {
    var v = this.value.replace(/[^\d.]/g, '');
    var i = v.indexOf('.');
    if (i >= 0) v = v.slice(0, i + 1) + v.slice(i + 1).replace(/\./g, '');
    if (v !== this.value) this.value = v;
  };
  // a card reader / scanner ends with Enter: go on to the password
  $('cardNo').onkeydown = function (e) {
    if ((e.keyCode || e.which) === 13) {
      if (e.preventDefault) e.preventDefault();
      $('payPwd').focus();
      return false;
    }
  };
  $('payPwd').onkeydown = function (e) {
    if ((e.keyCode || e.which) === 13) {
      if (e.preventDefault) e.preventDefault();
      submit();
      return false;
    }
  };
  form.onreset = function () {
    msg.innerHTML = '';
  };
  btn.onclick = submit;

  function submit() {
    if (st.submitting) return;
    var amount = trim($('amount').value);
    var goodsName = trim($('goodsName').value);
    var storeOrderNo = trim($('storeOrderNo').value);
    var cardNo = trim($('cardNo').value);
    var payPwd = $('payPwd').value;
    if (!amount) return showMsg('请输入消费金额', 'amount');
    if (!/^\d{1,6}(\.\d{1,2})?$/.test(amount) || !(parseFloat(amount) > 0)) return showMsg('消费金额格式不正确', 'amount');
    if (!goodsName) return showMsg('请输入商品名称', 'goodsName');
    if (!cardNo) return showMsg('请刷卡或输入员工卡号', 'cardNo');
    if (!payPwd) return showMsg('请员工输入支付密码', 'payPwd');
    if (!/^\d{6}$/.test(payPwd)) return showMsg('支付密码为6位数字', 'payPwd');
    msg.innerHTML = '';

    st.submitting = true;
    btn.disabled = true;
    btn.value = '处理中...';
    var body =
      'amount=' + encodeURIComponent(amount) +
      '&goodsName=' + encodeURIComponent(goodsName) +
      '&storeOrderNo=' + encodeURIComponent(storeOrderNo) +
      '&cardNo=' + encodeURIComponent(cardNo) +
      '&payPwd=' + encodeURIComponent(payPwd);
    var xhr = new XMLHttpRequest();
    xhr.open('POST', '/pos/pay', true);
    xhr.setRequestHeader('Content-Type', 'application/x-www-form-urlencoded; charset=UTF-8');
    xhr.setRequestHeader('X-Requested-With', 'XMLHttpRequest');
    xhr.onreadystatechange = function () {
      if (xhr.readyState !== 4) return;
      var res = null;
      try {
        res = JSON.parse(xhr.responseText);
      } catch (e) {
        res = null;
      }
      done(res);
    };
    xhr.send(body);
  }

  function done(res) {
    st.submitting = false;
    btn.disabled = false;
    btn.value = T('提交');
    $('payPwd').value = '';
    if (res && res.success) {
      st.lastResult = { ok: true, tradeNo: res.data.tradeNo, amount: res.data.amount, cardNo: res.data.cardNo, payTime: res.data.payTime };
      toast('success', T('支付成功') + ' ' + T('流水号') + '：' + res.data.tradeNo + ' ' + T('金额') + '：¥' + res.data.amount);
      setTimeout(function () {
        location.replace('/pos/frame?_=' + new Date().getTime());
      }, 600);
    } else {
      var why = res && res.msg ? res.msg : '网络异常，请稍后重试';
      st.lastResult = { ok: false, msg: why, code: res ? res.code : null };
      toast('error', T('支付失败') + '：' + why);
      if (res && res.code === '401') {
        setTimeout(function () {
          window.top.location.href = '/login';
        }, 1500);
      }
    }
  }

  window.__yuanfu = {
    state: function () {
      return JSON.parse(
        JSON.stringify({
          page: 'frame',
          form: {
            amount: $('amount').value,
            goodsName: $('goodsName').value,
            storeOrderNo: $('storeOrderNo').value,
            cardNo: $('cardNo').value,
            hasPassword: $('payPwd').value.length > 0
          },
          submitValue: btn.value,
          submitting: st.submitting,
          lastResult: st.lastResult,
          formMsg: msg.textContent
        })
      );
    }
  };
})();
