// 如医通 simulator variant "renamed labels" (?labels=renamed before the #/route): the same app,
// with the words a site redesign might change — the goods search box, the cart's headers, the
// 「下一步」 buttons, the store order field and the result dialog. The providers were NOT written
// against these words; teach mode (e2e/teach.e2e.test.ts) is how IT maps them. Exact texts only,
// so sentences that merely contain a word stay as they are.
(function () {
  if (!/(^|[?&])labels=renamed(&|$)/.test(location.search.slice(1))) return;
  var TEXT = {
    条码: '国际编码',
    单价: '零售价(元)',
    数量: '件数',
    下一步: '继续',
    门店订单号: 'ERP单据号',
    交易成功: '收款完成',
    交易流水号: '平台单号',
    交易金额: '本单合计',
  };
  var PLACEHOLDER = {
    '请输入商品条码/拼音首字母/商品名称': '扫码或输入货号',
    '请输入门店POS订单号': '请输入ERP单据号',
  };
  function renameText(node) {
    var text = node.nodeValue;
    var key = text && text.trim();
    if (key && Object.prototype.hasOwnProperty.call(TEXT, key)) node.nodeValue = text.replace(key, TEXT[key]);
  }
  function renamePlaceholder(el) {
    var p = el.getAttribute('placeholder');
    if (p && Object.prototype.hasOwnProperty.call(PLACEHOLDER, p)) el.setAttribute('placeholder', PLACEHOLDER[p]);
  }
  function walk(root) {
    if (root.nodeType === 3) return renameText(root);
    if (root.nodeType !== 1) return;
    if (root.hasAttribute('placeholder')) renamePlaceholder(root);
    var texts = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (var n = texts.nextNode(); n; n = texts.nextNode()) renameText(n);
    root.querySelectorAll('[placeholder]').forEach(renamePlaceholder);
  }
  new MutationObserver(function (records) {
    records.forEach(function (r) {
      if (r.type === 'characterData') renameText(r.target);
      else if (r.type === 'attributes') renamePlaceholder(r.target);
      else r.addedNodes.forEach(walk);
    });
  }).observe(document.documentElement, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['placeholder'] });
  document.addEventListener('DOMContentLoaded', function () {
    walk(document.body);
  });
})();
