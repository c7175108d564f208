/* 慧医卡 WebPOS 公共脚本 v20190703 */
var HYK = (function () {
  'use strict';

  function byId(id) {
    return document.getElementById(id);
  }

  function toggleMenu(a) {
    var li = a.parentNode;
    var ul = li.getElementsByTagName('ul')[0];
    if (!ul) return false;
    var open = ul.style.display !== 'none';
    ul.style.display = open ? 'none' : '';
    li.className = open ? 'menu-group' : 'menu-group open';
    return false;
  }

  function showMsg(text, cls) {
    var box = byId('payMsg') || byId('sysMsg');
    if (!box) {
      box = document.createElement('div');
      box.id = 'sysMsg';
      var main = byId('main') || document.body;
      main.insertBefore(box, main.firstChild);
    }
    box.className = cls || 'msg msg-error';
    box.innerHTML = '';
    box.appendChild(document.createTextNode(text));
  }

  function openReceipt(url) {
    var w = window.open(url, '_blank', 'width=420,height=760,left=200,top=20,scrollbars=yes,resizable=yes');
    if (!w) showMsg('小票窗口被浏览器拦截，请允许本站弹出窗口后点击“补打小票”', 'msg msg-info');
    return false;
  }

  function dateHint(input) {
    if (!input.value) input.title = '格式：yyyy-MM-dd，如 2019-07-03';
  }

  function ajax(method, url, body, cb) {
    var x = new XMLHttpRequest();
    x.open(method, url, true);
    x.setRequestHeader('X-Requested-With', 'XMLHttpRequest');
    if (body !== null) x.setRequestHeader('Content-Type', 'application/x-www-form-urlencoded; charset=UTF-8');
    x.onreadystatechange = function () {
      if (x.readyState !== 4) return;
      if (x.status !== 200) return cb(new Error('HTTP ' + x.status));
      var data;
      try {
        data = JSON.parse(x.responseText);
      } catch (e) {
        return cb(e);
      }
      cb(null, data);
    };
    x.send(body);
  }

  function fmtYuan(text) {
    var m = /^\s*(\d{1,7})(?:\.(\d{0,2}))?\s*$/.exec(text);
    if (!m) return '--';
    var frac = (m[2] || '') + '00';
    return String(parseInt(m[1], 10)) + '.' + frac.slice(0, 2);
  }

  function initPrice() {
    var price = byId('salePrice');
    var amount = byId('payAmount');
    if (!price || !amount) return;
    var update = function () {
      amount.innerHTML = fmtYuan(price.value);
    };
    price.oninput = update;
    price.onchange = update;
    price.onkeyup = update;
  }

  function initPay() {
    var qrPanel = byId('qrPanel');
    var cardPanel = byId('cardPanel');
    if (!qrPanel || !cardPanel) return;
    var orderId = qrPanel.getAttribute('data-order');
    var issued = qrPanel.getAttribute('data-issued') === '1';
    var polling = false;
    var img = byId('qrImg');
    var status = byId('qrStatus');
    var resultUrl = '/pay/result?order=' + encodeURIComponent(orderId);

    function setStatus(t) {
      status.innerHTML = '';
      status.appendChild(document.createTextNode(t));
    }

    function poll() {
      if (!polling) return;
      ajax('GET', '/pay/query?order=' + encodeURIComponent(orderId) + '&_=' + new Date().getTime(), null, function (err, data) {
        if (!polling) return;
        if (!err && data) {
          if (data.code === '401') {
            window.location.href = '/login?timeout=1';
            return;
          }
          if (data.code === '0000' && data.data) {
            var st = data.data.status;
            if (st === 'SUCCESS') {
              polling = false;
              setStatus('支付成功，正在跳转…');
              window.location.href = resultUrl;
              return;
            }
            if (st === 'FAIL' || st === 'CANCEL') {
              polling = false;
              issued = false;
              showMsg(data.data.msg, 'msg msg-error');
              setStatus('请点击“刷新二维码”后让顾客重新扫码');
              return;
            }
          }
        }
        window.setTimeout(poll, 1000);
      });
    }

    function startPoll() {
      if (polling) return;
      polling = true;
      window.setTimeout(poll, 1000);
    }

    function issue() {
      setStatus('正在生成二维码…');
      ajax('POST', '/pay/qrcode', 'order=' + encodeURIComponent(orderId), function (err, data) {
        if (err || !data) {
          setStatus('二维码生成失败，请点击“刷新二维码”重试');
          return;
        }
        if (data.code === '2001') {
          window.location.href = resultUrl;
          return;
        }
        if (data.code === '401') {
          window.location.href = '/login?timeout=1';
          return;
        }
        if (data.code !== '0000') {
          setStatus(data.msg);
          return;
        }
        img.src = data.data.qrImg;
        issued = true;
        var msg = byId('payMsg');
        if (msg) msg.className = 'msg msg-error hidden';
        setStatus('等待顾客扫码支付…');
        startPoll();
      });
    }

    function show(type) {
      cardPanel.style.display = type === 'card' ? '' : 'none';
      qrPanel.style.display = type === 'qr' ? '' : 'none';
      if (type === 'qr') {
        if (!issued) issue();
        else startPoll();
      }
    }

    var radios = document.getElementsByName('payType');
    for (var i = 0; i < radios.length; i++) {
      if (radios[i].type !== 'radio') continue;
      radios[i].onclick = function () {
        show(this.value);
      };
    }
    byId('qrRefresh').onclick = function () {
      issue();
      return false;
    };
    if (issued) startPoll();
  }

  function ready() {
    initPrice();
    initPay();
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', ready);
  else ready();

  return { toggleMenu: toggleMenu, openReceipt: openReceipt, dateHint: dateHint };
})();
