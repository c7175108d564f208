/* 如医通 商保收银 WEBPOS — simulator front end.
 * Plain JS on the global Vue 3 + ElementPlus builds (no build step), hash routing.
 * Money is integer fen; yuan strings only for display / input text. */
(function () {
  'use strict';
  const { createApp, reactive, ref, computed, watch, nextTick, h, onMounted, onBeforeUnmount } = Vue;
  const { ElMessage, ElMessageBox } = ElementPlus;

  // ---------------------------------------------------------------- money (integer fen)
  function fenToYuan(fen) {
    const neg = fen < 0;
    const a = Math.abs(fen);
    return (neg ? '-' : '') + Math.floor(a / 100) + '.' + String(a % 100).padStart(2, '0');
  }
  const yuan = (fen) => '¥' + fenToYuan(fen);
  /** "36" / "36.5" / "36.505" → fen (half-up on the 3rd decimal); null when not a price. */
  function parseYuanToFen(text) {
    const m = /^\s*(\d{1,7})(?:\.(\d*))?\s*$/.exec(String(text == null ? '' : text));
    if (!m) return null;
    const dec = (m[2] || '') + '000';
    let fen = Number(m[1]) * 100 + Number(dec.slice(0, 2));
    if (Number(dec[2]) >= 5) fen += 1;
    return fen;
  }
  /** "9.5" → 950 (per mille of the original price); 0 < d ≤ 10 with ≤ 2 decimals; else null. */
  function parseDiscount(text) {
    const m = /^\s*(\d{1,2})(?:\.(\d{0,2}))?\s*$/.exec(String(text == null ? '' : text));
    if (!m) return null;
    const per = Number(m[1]) * 100 + Number(((m[2] || '') + '00').slice(0, 2));
    if (per <= 0 || per > 1000) return null;
    return per;
  }
  /** original × per/1000, rounded half-up to the fen, integers only. */
  const applyDiscount = (originalFen, per) => Math.floor((originalFen * per + 500) / 1000);

  function fmtTime(iso) {
    return iso ? String(iso).slice(0, 19).replace('T', ' ') : '';
  }

  // ---------------------------------------------------------------- icons (inline SVG)
  const mkIcon = (name, d) => ({
    name,
    render: () =>
      h('svg', { viewBox: '0 0 1024 1024', xmlns: 'http://www.w3.org/2000/svg' }, [h('path', { fill: 'currentColor', d })]),
  });
  const IconSearch = mkIcon(
    'IconSearch',
    'M795.904 750.72l124.992 124.928a32 32 0 01-45.248 45.248L750.656 795.904a416 416 0 1145.248-45.248zM480 832a352 352 0 100-704 352 352 0 000 704z',
  );
  const IconPlus = mkIcon('IconPlus', 'M480 480V128a32 32 0 0164 0v352h352a32 32 0 110 64H544v352a32 32 0 11-64 0V544H128a32 32 0 010-64h352z');
  const IconPrinter = mkIcon(
    'IconPrinter',
    'M256 768H105.024c-14.272 0-19.456-1.472-24.64-4.288a29.056 29.056 0 01-12.16-12.096C65.536 746.432 64 741.248 64 727.04V379.072c0-42.816 4.48-58.304 12.8-73.984 8.384-15.616 20.672-27.904 36.288-36.288 15.68-8.32 31.168-12.8 73.984-12.8H256V64h512v192h68.928c42.816 0 58.304 4.48 73.984 12.8 15.616 8.384 27.904 20.672 36.288 36.288 8.32 15.68 12.8 31.168 12.8 73.984v347.904c0 14.272-1.472 19.456-4.288 24.64a29.056 29.056 0 01-12.096 12.16c-5.184 2.752-10.368 4.224-24.64 4.224H768v192H256V768zm64-192v320h384V576H320zm-64 128V512h512v192h128V379.072c0-29.376-1.408-36.48-5.248-43.776a23.296 23.296 0 00-10.048-10.048c-7.232-3.84-14.4-5.248-43.776-5.248H187.072c-29.376 0-36.48 1.408-43.776 5.248a23.296 23.296 0 00-10.048 10.048c-3.84 7.232-5.248 14.4-5.248 43.776V704h128zm64-448h384V128H320v128z',
  );
  const IconMenu = mkIcon('IconMenu', 'M160 256h704v64H160zm0 224h704v64H160zm0 224h704v64H160z');
  const IconUser = mkIcon('IconUser', 'M512 512a192 192 0 100-384 192 192 0 000 384zm0 64a256 256 0 110-512 256 256 0 010 512zm320 320v-96a96 96 0 00-96-96H288a96 96 0 00-96 96v96a32 32 0 11-64 0v-96a160 160 0 01160-160h448a160 160 0 01160 160v96a32 32 0 11-64 0z');
  const IconLock = mkIcon('IconLock', 'M224 448a32 32 0 00-32 32v384a32 32 0 0032 32h576a32 32 0 0032-32V480a32 32 0 00-32-32H224zm0-64h576a96 96 0 0196 96v384a96 96 0 01-96 96H224a96 96 0 01-96-96V480a96 96 0 0196-96zm288 160a32 32 0 0132 32v192a32 32 0 11-64 0V576a32 32 0 0132-32zm192-160v-64a192 192 0 10-384 0v64h384zM512 64a256 256 0 01256 256v128H256V320A256 256 0 01512 64z');

  // ---------------------------------------------------------------- store + routing
  // Page variants a test can ask for in the query string (the real site has such variants too):
  //   ?credentialNote=1  the result's credential cell carries a note after the number
  //   ?listFailed=1      交易查询 lists failed payments too, as 交易失败 rows
  const PAGE_OPTIONS = new URLSearchParams(location.search);
  const LS_TOKEN = 'ryt_token';
  const LS_INFO = 'ryt_userinfo';
  let savedInfo = {};
  try {
    savedInfo = JSON.parse(localStorage.getItem(LS_INFO) || '{}') || {};
  } catch (e) {
    savedInfo = {};
  }

  const store = reactive({
    route: '/login',
    token: localStorage.getItem(LS_TOKEN) || '',
    username: savedInfo.username || '',
    storeName: savedInfo.storeName || '',
    storeCode: savedInfo.storeCode || '',
    // 交易申请 wizard
    step: 'goods', // goods | storeOrderNo | credential | settle
    cart: [], // {uid, barcode, name, spec, qty, unitFen, originalFen, priceText, discountText}
    storeOrderNo: '',
    credentialType: 'idcard', // idcard | paycode
    idcard: '',
    paycode: '',
    credentialMasked: '',
    lastResult: null,
    resultVisible: false,
    tableKey: 0,
  });
  let lineUid = 0;

  function parseRoute() {
    const raw = (location.hash || '').replace(/^#/, '');
    const p = raw.split('?')[0] || '/';
    return p;
  }
  function go(path) {
    if (parseRoute() !== path) location.hash = '#' + path;
    else applyRoute();
  }
  function applyRoute() {
    let p = parseRoute();
    if (!store.token && p !== '/login') {
      location.replace('#/login');
      p = '/login';
    } else if (p === '/' || !['/login', '/trade', '/query'].includes(p)) {
      const target = store.token ? '/trade' : '/login';
      location.replace('#' + target);
      p = target;
    }
    store.route = p;
    document.title = (p === '/login' ? '登录' : p === '/query' ? '交易查询' : '交易申请') + ' - 如医通商保收银WEBPOS';
  }
  window.addEventListener('hashchange', applyRoute);

  function resetTrade() {
    store.step = 'goods';
    store.cart = [];
    store.storeOrderNo = '';
    store.credentialType = 'idcard';
    store.idcard = '';
    store.paycode = '';
    store.credentialMasked = '';
    store.tableKey++;
  }

  function clearSession() {
    store.token = '';
    localStorage.removeItem(LS_TOKEN);
    resetTrade();
  }

  // ---------------------------------------------------------------- api
  class ApiError extends Error {}
  async function api(method, path, body) {
    const headers = { Accept: 'application/json, text/plain, */*' };
    if (body !== undefined) headers['Content-Type'] = 'application/json;charset=UTF-8';
    if (store.token) headers.Authorization = 'Bearer ' + store.token;
    let resp;
    try {
      resp = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (e) {
      throw new ApiError('网络异常，请检查网络连接');
    }
    let json;
    try {
      json = await resp.json();
    } catch (e) {
      throw new ApiError('服务器响应异常（' + resp.status + '）');
    }
    if (resp.status === 401 || json.code === 401) {
      clearSession();
      go('/login');
      throw new ApiError(json.msg || '登录已过期，请重新登录');
    }
    if (json.code !== 0) throw new ApiError(json.msg || '操作失败');
    return json.data;
  }
  const toastError = (e) => ElMessage.error({ message: (e && e.message) || String(e), grouping: true });

  // ---------------------------------------------------------------- login page
  const LoginPage = {
    name: 'LoginPage',
    setup() {
      const formRef = ref();
      const form = reactive({ username: localStorage.getItem('ryt_remember') || '', password: '', remember: !!localStorage.getItem('ryt_remember') });
      const loading = ref(false);
      const rules = {
        username: [{ required: true, message: '请输入用户名', trigger: 'blur' }],
        password: [{ required: true, message: '请输入密码', trigger: 'blur' }],
      };
      async function submit() {
        if (loading.value) return;
        const valid = await formRef.value.validate().catch(() => false);
        if (!valid) return;
        loading.value = true;
        try {
          const data = await api('POST', '/api/auth/login', { username: form.username.trim(), password: form.password });
          store.token = data.token;
          store.username = data.username;
          store.storeName = data.storeName;
          store.storeCode = data.storeCode;
          localStorage.setItem(LS_TOKEN, data.token);
          localStorage.setItem(LS_INFO, JSON.stringify({ username: data.username, storeName: data.storeName, storeCode: data.storeCode }));
          if (form.remember) localStorage.setItem('ryt_remember', form.username.trim());
          else localStorage.removeItem('ryt_remember');
          resetTrade();
          ElMessage.success('登录成功');
          go('/trade');
        } catch (e) {
          toastError(e);
        } finally {
          loading.value = false;
        }
      }
      return { formRef, form, rules, loading, submit, IconUser, IconLock };
    },
    template: `
<div class="ryt-login">
  <el-card shadow="always">
    <div class="ryt-login__title">如医通商保收银系统</div>
    <div class="ryt-login__sub">WEBPOS · 门店收银端</div>
    <el-form ref="formRef" :model="form" :rules="rules" size="large" @submit.prevent>
      <el-form-item prop="username">
        <el-input v-model="form.username" placeholder="请输入用户名" :prefix-icon="IconUser" clearable autocomplete="username" name="username"/>
      </el-form-item>
      <el-form-item prop="password">
        <el-input v-model="form.password" type="password" placeholder="请输入密码" :prefix-icon="IconLock" show-password autocomplete="current-password" name="password" @keyup.enter="submit"/>
      </el-form-item>
      <el-form-item>
        <el-checkbox v-model="form.remember">记住用户名</el-checkbox>
      </el-form-item>
      <el-form-item>
        <el-button type="primary" style="width:100%" :loading="loading" @click="submit">登录</el-button>
      </el-form-item>
    </el-form>
    <div class="ryt-login__foot">推荐使用谷歌浏览器 · 如医平安健康科技</div>
  </el-card>
</div>`,
  };

  // ---------------------------------------------------------------- 交易申请
  const STEPS = ['goods', 'storeOrderNo', 'credential', 'settle'];

  const TradePage = {
    name: 'TradePage',
    setup() {
      // --- step 1: goods
      const keyword = ref('');
      const searching = ref(false);
      const searchInput = ref();
      const pickVisible = ref(false);
      const pickList = ref([]);
      const pickSelection = ref([]);
      const pickTable = ref();
      let queue = Promise.resolve();

      function addGoods(g) {
        const existing = store.cart.find((l) => l.barcode === g.barcode);
        if (existing) {
          existing.qty += 1;
        } else {
          store.cart.push({
            uid: ++lineUid,
            barcode: g.barcode,
            name: g.name,
            spec: g.spec,
            unit: g.unit,
            qty: 1,
            unitFen: g.priceFen,
            originalFen: g.priceFen,
            priceText: fenToYuan(g.priceFen),
            discountText: '',
          });
        }
        store.tableKey++; // the order table is rebuilt (row inputs re-created)
      }

      async function doSearch(k) {
        searching.value = true;
        try {
          const data = await api('GET', '/api/goods/search?keyword=' + encodeURIComponent(k));
          if (keyword.value.trim() === k) keyword.value = '';
          const list = data.list || [];
          if (list.length === 0) {
            ElMessage.warning('未查询到相关商品：' + k);
          } else if (list.length === 1) {
            addGoods(list[0]);
            ElMessage.success({ message: '已添加商品：' + list[0].name, duration: 1200 });
          } else {
            pickList.value = list;
            pickSelection.value = [];
            pickVisible.value = true;
          }
        } catch (e) {
          toastError(e);
        } finally {
          searching.value = false;
        }
      }
      function search() {
        const k = keyword.value.trim();
        if (!k) {
          ElMessage.warning('请输入商品条码/拼音首字母/商品名称');
          return;
        }
        queue = queue.then(() => doSearch(k));
      }
      function onPickSelection(rows) {
        pickSelection.value = rows;
      }
      function onPickRowClick(row) {
        pickTable.value && pickTable.value.toggleRowSelection(row);
      }
      function confirmPick() {
        if (!pickSelection.value.length) {
          ElMessage.warning('请勾选要添加的商品');
          return;
        }
        for (const g of pickSelection.value) addGoods(g);
        ElMessage.success({ message: '已添加 ' + pickSelection.value.length + ' 个商品', duration: 1200 });
        pickVisible.value = false;
        nextTick(() => searchInput.value && searchInput.value.focus());
      }

      function onDiscountInput(row) {
        const per = parseDiscount(row.discountText);
        if (per !== null) {
          row.unitFen = applyDiscount(row.originalFen, per);
          row.priceText = fenToYuan(row.unitFen);
        }
      }
      function onDiscountChange(row) {
        if (String(row.discountText).trim() === '') return;
        const per = parseDiscount(row.discountText);
        if (per === null) {
          ElMessage.error('折扣格式不正确，请输入0.1~10之间的数字，如9.5表示95折');
          row.discountText = '';
          return;
        }
        row.unitFen = applyDiscount(row.originalFen, per);
        row.priceText = fenToYuan(row.unitFen);
      }
      function onPriceInput(row) {
        const fen = parseYuanToFen(row.priceText);
        if (fen !== null) {
          row.unitFen = fen;
          row.discountText = '';
        }
      }
      function onPriceChange(row) {
        const fen = parseYuanToFen(row.priceText);
        if (fen === null) ElMessage.error('单价格式不正确');
        else row.unitFen = fen;
        row.priceText = fenToYuan(row.unitFen);
      }
      function onQtyChange(row, v) {
        if (!Number.isInteger(v) || v < 1) row.qty = 1;
      }
      function removeLine(row) {
        const i = store.cart.indexOf(row);
        if (i >= 0) store.cart.splice(i, 1);
        store.tableKey++;
      }

      const totalFen = computed(() => store.cart.reduce((s, l) => s + l.unitFen * (l.qty || 0), 0));
      const originalTotalFen = computed(() => store.cart.reduce((s, l) => s + l.originalFen * (l.qty || 0), 0));
      const totalQty = computed(() => store.cart.reduce((s, l) => s + (l.qty || 0), 0));

      function goodsNext() {
        if (!store.cart.length) {
          ElMessage.warning('请先添加商品');
          return;
        }
        const bad = store.cart.find((l) => parseYuanToFen(l.priceText) === null || l.unitFen <= 0);
        if (bad) {
          ElMessage.warning('请填写正确的商品单价：' + bad.name);
          return;
        }
        store.step = 'storeOrderNo';
      }

      // --- step 2: 门店订单号
      const storeFormRef = ref();
      const storeRules = {
        storeOrderNo: [
          { required: true, message: '请输入门店订单号', trigger: 'blur' },
          { max: 40, message: '门店订单号长度不能超过40个字符', trigger: 'blur' },
        ],
      };
      async function storeNext() {
        store.storeOrderNo = String(store.storeOrderNo || '').trim();
        const valid = await storeFormRef.value.validate().catch(() => false);
        if (!valid) return;
        store.step = 'credential';
      }

      // --- step 3: 交易凭证
      const credFormRef = ref();
      const credRules = {
        idcard: [
          { required: true, message: '请输入身份证号', trigger: 'blur' },
          { pattern: /^\d{17}[\dXx]$/, message: '身份证号格式不正确', trigger: 'blur' },
        ],
        paycode: [
          { required: true, message: '请输入付款码', trigger: 'blur' },
          { pattern: /^\d{16,24}$/, message: '付款码格式不正确', trigger: 'blur' },
        ],
      };
      const pwdVisible = ref(false);
      const pwd = ref('');
      const pwdInput = ref();
      const verifying = ref(false);

      async function credConfirm() {
        const field = store.credentialType === 'idcard' ? 'idcard' : 'paycode';
        store[field] = String(store[field] || '').trim();
        const valid = await credFormRef.value.validateField([field]).then(() => true).catch(() => false);
        if (!valid) return;
        if (store.credentialType === 'idcard') {
          pwd.value = '';
          pwdVisible.value = true;
          return;
        }
        try {
          await ElMessageBox.confirm('请确认顾客已在平安企业宝App中确认支付', '付款确认', {
            confirmButtonText: '确认',
            cancelButtonText: '取消',
            type: 'warning',
            closeOnClickModal: false,
          });
        } catch (e) {
          return; // 取消: stay on the credential page
        }
        await verify({ type: 'paycode', value: store.paycode });
      }
      async function pwdConfirm() {
        if (!/^\d{6}$/.test(pwd.value)) {
          ElMessage.warning('请顾客输入6位数字密码');
          return;
        }
        const ok = await verify({ type: 'idcard', value: store.idcard, password: pwd.value });
        if (ok) pwdVisible.value = false;
      }
      function pwdCancel() {
        pwd.value = '';
        pwdVisible.value = false;
      }
      let verifiedPassword = '';
      async function verify(cred) {
        verifying.value = true;
        try {
          const data = await api('POST', '/api/credential/verify', cred);
          store.credentialMasked = data.masked;
          verifiedPassword = cred.password || '';
          store.step = 'settle';
          return true;
        } catch (e) {
          toastError(e);
          return false;
        } finally {
          verifying.value = false;
          pwd.value = '';
        }
      }

      // --- step 4: 订单结算
      const settling = ref(false);
      const pendingOrder = ref(null);
      const cash1Visible = ref(false);
      const cash2Visible = ref(false);
      const cash1 = ref('');
      const cash2 = ref('');
      let cashInputs = [];

      function currentCredential() {
        return store.credentialType === 'idcard'
          ? { type: 'idcard', value: store.idcard, password: verifiedPassword }
          : { type: 'paycode', value: store.paycode };
      }
      async function settle() {
        if (settling.value) return;
        settling.value = true;
        try {
          const data = await api('POST', '/api/order/create', {
            storeOrderNo: store.storeOrderNo,
            credential: currentCredential(),
            lines: store.cart.map((l) => ({ barcode: l.barcode, qty: l.qty, unitFen: l.unitFen })),
          });
          pendingOrder.value = data;
          cashInputs = [];
          if (data.cashFen > 0) {
            cash1.value = '';
            cash1Visible.value = true;
            settling.value = false;
            return;
          }
          await pay();
        } catch (e) {
          toastError(e);
          settling.value = false;
        }
      }
      function cash1Confirm() {
        const fen = parseYuanToFen(cash1.value);
        if (fen === null || fen !== pendingOrder.value.cashFen) {
          ElMessage.error('现金金额输入有误，请核对后重新输入');
          return;
        }
        cashInputs = [fen];
        cash1Visible.value = false;
        if (pendingOrder.value.cashFen > 200000) {
          cash2.value = '';
          cash2Visible.value = true;
          return;
        }
        pay();
      }
      function cash2Confirm() {
        const fen = parseYuanToFen(cash2.value);
        if (fen === null || fen !== pendingOrder.value.cashFen || fen !== cashInputs[0]) {
          ElMessage.error('两次输入的现金金额不一致，请核对后重新输入');
          return;
        }
        cashInputs.push(fen);
        cash2Visible.value = false;
        pay();
      }
      function cashCancel() {
        cash1Visible.value = false;
        cash2Visible.value = false;
        cash1.value = '';
        cash2.value = '';
        cashInputs = [];
        ElMessage.info('已取消结账');
      }
      async function pay() {
        settling.value = true;
        try {
          const o = await api('POST', '/api/order/pay', { orderId: pendingOrder.value.orderId, cashInputsFen: cashInputs });
          store.lastResult = {
            status: o.status,
            vendorOrderNo: o.vendorOrderNo,
            storeOrderNo: o.storeOrderNo,
            totalFen: o.totalFen,
            cardFen: o.cardFen,
            cashFen: o.cashFen,
            paidAt: o.paidAt,
            credential: o.credential,
            failReason: o.failReason || '',
          };
          store.resultVisible = true;
        } catch (e) {
          toastError(e);
        } finally {
          settling.value = false;
        }
      }
      async function cancelTrade() {
        try {
          await ElMessageBox.confirm('确定取消本次交易吗？已录入的商品将被清空。', '提示', {
            confirmButtonText: '确定',
            cancelButtonText: '取消',
            type: 'warning',
          });
        } catch (e) {
          return;
        }
        verifiedPassword = '';
        resetTrade();
      }
      function finish() {
        store.resultVisible = false;
        verifiedPassword = '';
        pendingOrder.value = null;
        resetTrade();
        nextTick(() => searchInput.value && searchInput.value.focus());
      }
      function printReceipt() {
        if (store.lastResult) openReceipt(store.lastResult.vendorOrderNo);
      }

      const stepIndex = computed(() => STEPS.indexOf(store.step));
      onMounted(() => nextTick(() => searchInput.value && searchInput.value.focus()));

      return {
        store, yuan, fenToYuan, fmtTime, IconSearch, IconPlus, IconPrinter,
        keyword, searching, searchInput, search, pickVisible, pickList, pickTable, onPickSelection, onPickRowClick, confirmPick,
        onDiscountInput, onDiscountChange, onPriceInput, onPriceChange, onQtyChange, removeLine, totalFen, originalTotalFen, totalQty, goodsNext,
        storeFormRef, storeRules, storeNext,
        credFormRef, credRules, credConfirm, pwdVisible, pwd, pwdInput, pwdConfirm, pwdCancel, verifying,
        settling, pendingOrder, settle, cash1Visible, cash2Visible, cash1, cash2, cash1Confirm, cash2Confirm, cashCancel, cancelTrade,
        finish, printReceipt, stepIndex, credentialNote: PAGE_OPTIONS.get('credentialNote') === '1',
      };
    },
    template: `
<div class="ryt-trade">
  <div class="ryt-panel">
    <el-steps class="ryt-steps" :active="stepIndex" finish-status="success" align-center>
      <el-step title="添加商品"/>
      <el-step title="录入门店订单号"/>
      <el-step title="录入交易凭证"/>
      <el-step title="订单结算"/>
    </el-steps>
  </div>

  <!-- step 1: 添加商品 -->
  <div v-if="store.step === 'goods'" class="ryt-panel ryt-step-goods">
    <h3 class="ryt-panel__title">交易申请</h3>
    <div class="ryt-search">
      <el-input ref="searchInput" v-model="keyword" placeholder="请输入商品条码/拼音首字母/商品名称" clearable @keyup.enter="search"/>
      <el-button type="primary" :icon="IconSearch" :loading="searching" @click="search">搜索</el-button>
    </div>
    <el-table :key="store.tableKey" :data="store.cart" row-key="uid" border stripe empty-text="暂无商品，请搜索或扫码添加" class="ryt-cart-table">
      <el-table-column type="index" label="序号" width="60" align="center"/>
      <el-table-column prop="name" label="商品名称" min-width="180" show-overflow-tooltip/>
      <el-table-column prop="barcode" label="条码" width="140"/>
      <el-table-column prop="spec" label="规格" width="120"/>
      <el-table-column label="原价" width="90" align="right">
        <template #default="{ row }"><span class="ryt-money">{{ fenToYuan(row.originalFen) }}</span></template>
      </el-table-column>
      <el-table-column label="折扣" width="110" align="center">
        <template #default="{ row }">
          <el-input v-model="row.discountText" size="small" placeholder="如9.5" @input="onDiscountInput(row)" @change="onDiscountChange(row)"/>
        </template>
      </el-table-column>
      <el-table-column label="单价" width="120" align="center">
        <template #default="{ row }">
          <el-input v-model="row.priceText" size="small" @input="onPriceInput(row)" @change="onPriceChange(row)"/>
        </template>
      </el-table-column>
      <el-table-column label="数量" width="150" align="center">
        <template #default="{ row }">
          <el-input-number v-model="row.qty" size="small" :min="1" :max="9999" :step="1" step-strictly @change="(v) => onQtyChange(row, v)"/>
        </template>
      </el-table-column>
      <el-table-column label="小计" width="110" align="right">
        <template #default="{ row }"><span class="ryt-money">{{ fenToYuan(row.unitFen * (row.qty || 0)) }}</span></template>
      </el-table-column>
      <el-table-column label="操作" width="80" align="center">
        <template #default="{ row }">
          <el-button link type="danger" @click="removeLine(row)">删除</el-button>
        </template>
      </el-table-column>
    </el-table>
    <div class="ryt-summary">
      <span>共 <b>{{ store.cart.length }}</b> 种商品，<b>{{ totalQty }}</b> 件</span>
      <span>原价合计：<span class="ryt-money">{{ yuan(originalTotalFen) }}</span></span>
      <span>优惠：<span class="ryt-money">{{ yuan(Math.max(0, originalTotalFen - totalFen)) }}</span></span>
      <span>订单金额：<span class="ryt-amount ryt-money ryt-order-total">{{ yuan(totalFen) }}</span></span>
    </div>
    <div class="ryt-actions">
      <el-button type="primary" size="large" @click="goodsNext">下一步</el-button>
    </div>
  </div>

  <!-- step 2: 录入门店订单号 -->
  <div v-else-if="store.step === 'storeOrderNo'" class="ryt-panel ryt-step-store-order">
    <h3 class="ryt-panel__title">录入门店订单号</h3>
    <el-alert type="info" :closable="false" show-icon title="请录入门店POS系统中的销售订单号，便于后期对账。"/>
    <el-form ref="storeFormRef" class="ryt-form" :model="store" :rules="storeRules" label-width="120px" @submit.prevent>
      <el-form-item label="门店订单号" prop="storeOrderNo">
        <el-input v-model="store.storeOrderNo" placeholder="请输入门店POS订单号" clearable maxlength="40" @keyup.enter="storeNext"/>
      </el-form-item>
      <el-form-item label="订单金额">
        <span class="ryt-money">{{ yuan(totalFen) }}</span>
      </el-form-item>
    </el-form>
    <div class="ryt-actions">
      <el-button size="large" @click="store.step = 'goods'">上一步</el-button>
      <el-button type="primary" size="large" @click="storeNext">下一步</el-button>
    </div>
  </div>

  <!-- step 3: 录入交易凭证 -->
  <div v-else-if="store.step === 'credential'" class="ryt-panel ryt-step-credential">
    <h3 class="ryt-panel__title">录入交易凭证</h3>
    <el-form ref="credFormRef" class="ryt-form" :model="store" :rules="credRules" label-width="120px" @submit.prevent>
      <el-form-item label="凭证类型">
        <el-radio-group v-model="store.credentialType">
          <el-radio value="idcard" border>身份证</el-radio>
          <el-radio value="paycode" border>平安企业宝付款码</el-radio>
        </el-radio-group>
      </el-form-item>
      <el-form-item v-if="store.credentialType === 'idcard'" key="idcard" label="身份证号" prop="idcard">
        <el-input v-model="store.idcard" placeholder="请输入顾客身份证号" maxlength="18" clearable @keyup.enter="credConfirm"/>
      </el-form-item>
      <el-form-item v-else key="paycode" label="付款码" prop="paycode">
        <el-input v-model="store.paycode" placeholder="请扫描或输入平安企业宝付款码" maxlength="24" clearable @keyup.enter="credConfirm"/>
      </el-form-item>
      <el-form-item v-if="store.credentialType === 'paycode'">
        <div class="ryt-hint">出示付款码路径：平安企业宝APP — 首页 — 企业好福利 — 健康直付 — 付款码</div>
      </el-form-item>
    </el-form>
    <div class="ryt-actions">
      <el-button size="large" @click="store.step = 'storeOrderNo'">上一步</el-button>
      <el-button type="primary" size="large" :loading="verifying" @click="credConfirm">确认</el-button>
    </div>
  </div>

  <!-- step 4: 订单结算 -->
  <div v-else-if="store.step === 'settle'" class="ryt-panel ryt-step-settle">
    <h3 class="ryt-panel__title">订单结算</h3>
    <el-descriptions :column="3" border size="default" class="ryt-settle-info">
      <el-descriptions-item label="门店订单号">{{ store.storeOrderNo }}</el-descriptions-item>
      <el-descriptions-item label="凭证类型">{{ store.credentialType === 'idcard' ? '身份证' : '平安企业宝付款码' }}</el-descriptions-item>
      <el-descriptions-item :label="store.credentialType === 'idcard' ? '身份证号' : '付款码'">{{ store.credentialMasked }}</el-descriptions-item>
    </el-descriptions>
    <el-table :data="store.cart" row-key="uid" border style="margin-top:14px" class="ryt-settle-table">
      <el-table-column type="index" label="序号" width="60" align="center"/>
      <el-table-column prop="name" label="商品名称" min-width="180"/>
      <el-table-column prop="barcode" label="条码" width="140"/>
      <el-table-column label="原价" width="100" align="right"><template #default="{ row }">{{ fenToYuan(row.originalFen) }}</template></el-table-column>
      <el-table-column label="单价" width="100" align="right"><template #default="{ row }">{{ fenToYuan(row.unitFen) }}</template></el-table-column>
      <el-table-column prop="qty" label="数量" width="80" align="center"/>
      <el-table-column label="小计" width="120" align="right"><template #default="{ row }">{{ fenToYuan(row.unitFen * row.qty) }}</template></el-table-column>
    </el-table>
    <div class="ryt-summary">
      <span>共 <b>{{ totalQty }}</b> 件</span>
      <span>应收总额：<span class="ryt-amount ryt-money ryt-settle-total">{{ yuan(totalFen) }}</span></span>
    </div>
    <div class="ryt-actions">
      <el-button size="large" @click="store.step = 'credential'">上一步</el-button>
      <el-button size="large" @click="cancelTrade">取消交易</el-button>
      <el-button type="danger" size="large" :loading="settling" @click="settle">确认结账</el-button>
    </div>
  </div>

  <!-- 多条商品选择 -->
  <el-dialog v-model="pickVisible" title="选择商品" width="760px" append-to-body :close-on-click-modal="false" class="ryt-pick-dialog">
    <div class="ryt-hint" style="margin-bottom:8px">查询到 {{ pickList.length }} 条商品记录，请勾选后点击“添加商品”。</div>
    <el-table ref="pickTable" :data="pickList" row-key="barcode" border highlight-current-row max-height="360" @selection-change="onPickSelection" @row-click="onPickRowClick">
      <el-table-column type="selection" width="50" align="center"/>
      <el-table-column prop="name" label="商品名称" min-width="200"/>
      <el-table-column prop="barcode" label="条码" width="150"/>
      <el-table-column prop="spec" label="规格" width="150"/>
      <el-table-column label="单价" width="100" align="right"><template #default="{ row }">{{ fenToYuan(row.priceFen) }}</template></el-table-column>
    </el-table>
    <template #footer>
      <el-button @click="pickVisible = false">取消</el-button>
      <el-button type="primary" :icon="IconPlus" @click="confirmPick">添加商品</el-button>
    </template>
  </el-dialog>

  <!-- 身份证密码 -->
  <el-dialog v-model="pwdVisible" title="请顾客输入6位密码" width="420px" append-to-body :close-on-click-modal="false" :show-close="false" class="ryt-pwd-dialog" @opened="pwdInput && pwdInput.focus()">
    <div class="ryt-cash-tip">请将键盘交由顾客本人输入如医通6位数字交易密码。</div>
    <el-input ref="pwdInput" v-model="pwd" type="password" maxlength="6" show-password placeholder="请输入6位数字密码" autocomplete="off" @keyup.enter="pwdConfirm"/>
    <template #footer>
      <el-button @click="pwdCancel">取消</el-button>
      <el-button type="primary" :loading="verifying" @click="pwdConfirm">确定</el-button>
    </template>
  </el-dialog>

  <!-- 现金支付（第一次） -->
  <el-dialog v-model="cash1Visible" title="请输入现金支付金额" width="460px" append-to-body :close-on-click-modal="false" :show-close="false" destroy-on-close class="ryt-cash-dialog">
    <div v-if="pendingOrder" class="ryt-cash-tip">
      卡内余额不足，本单卡支付 <b class="ryt-money">{{ yuan(pendingOrder.cardFen) }}</b>，
      需现金支付 <span class="ryt-cash-amount ryt-money">{{ yuan(pendingOrder.cashFen) }}</span><br>
      请向顾客收取现金后，手动输入现金支付金额（避免误操作）。
    </div>
    <div @paste.prevent @drop.prevent>
      <el-form label-width="90px" @submit.prevent>
        <el-form-item label="现金金额">
          <el-input v-model="cash1" placeholder="请手动输入现金金额（元）" autocomplete="off" @keyup.enter="cash1Confirm"/>
        </el-form-item>
      </el-form>
    </div>
    <template #footer>
      <el-button @click="cashCancel">取消</el-button>
      <el-button type="primary" @click="cash1Confirm">确定</el-button>
    </template>
  </el-dialog>

  <!-- 现金支付（第二次，超2000元） -->
  <el-dialog v-model="cash2Visible" title="请再次输入现金金额" width="460px" append-to-body :close-on-click-modal="false" :show-close="false" destroy-on-close class="ryt-cash-dialog ryt-cash-dialog--again">
    <div v-if="pendingOrder" class="ryt-cash-tip">
      现金支付金额超过2000元，请再次核对并手动输入现金金额。<br>
      需现金支付 <span class="ryt-cash-amount ryt-money">{{ yuan(pendingOrder.cashFen) }}</span>
    </div>
    <div @paste.prevent @drop.prevent>
      <el-form label-width="90px" @submit.prevent>
        <el-form-item label="现金金额">
          <el-input v-model="cash2" placeholder="请再次手动输入现金金额（元）" autocomplete="off" @keyup.enter="cash2Confirm"/>
        </el-form-item>
      </el-form>
    </div>
    <template #footer>
      <el-button @click="cashCancel">取消</el-button>
      <el-button type="primary" @click="cash2Confirm">确定</el-button>
    </template>
  </el-dialog>

  <!-- 交易结果 -->
  <el-dialog v-model="store.resultVisible" :title="store.lastResult && store.lastResult.status === 'paid' ? '交易成功' : '交易失败'" width="520px" append-to-body :close-on-click-modal="false" :close-on-press-escape="false" :show-close="false" class="ryt-result-dialog">
    <template v-if="store.lastResult && store.lastResult.status === 'paid'">
      <el-descriptions :column="1" border class="ryt-result-info">
        <el-descriptions-item label="交易流水号">{{ store.lastResult.vendorOrderNo }}</el-descriptions-item>
        <el-descriptions-item label="门店订单号">{{ store.lastResult.storeOrderNo }}</el-descriptions-item>
        <el-descriptions-item label="交易金额">{{ yuan(store.lastResult.totalFen) }}</el-descriptions-item>
        <el-descriptions-item label="卡支付">{{ yuan(store.lastResult.cardFen) }}</el-descriptions-item>
        <el-descriptions-item label="现金支付">{{ yuan(store.lastResult.cashFen) }}</el-descriptions-item>
        <el-descriptions-item label="交易时间">{{ fmtTime(store.lastResult.paidAt) }}</el-descriptions-item>
        <el-descriptions-item :label="store.lastResult.credential.type === 'idcard' ? '身份证号' : '付款码'">{{ store.lastResult.credential.masked }}<template v-if="credentialNote"> 请核对顾客身份证件与本人一致后再签字确认，如有疑问请联系如医通客服</template></el-descriptions-item>
      </el-descriptions>
    </template>
    <template v-else-if="store.lastResult">
      <div class="ryt-result-fail">
        <div class="ryt-result-fail__icon">✕</div>
        <p><b>交易失败</b></p>
        <p class="ryt-hint">{{ store.lastResult.failReason }}</p>
        <el-alert v-if="store.lastResult.cashFen > 0" type="error" :closable="false" show-icon
          :title="'请将已收取的现金 ' + yuan(store.lastResult.cashFen) + ' 退还给顾客'"/>
        <el-alert v-else type="warning" :closable="false" show-icon title="如已收取现金，请退还给顾客"/>
        <p class="ryt-hint">流水号：{{ store.lastResult.vendorOrderNo }}</p>
      </div>
    </template>
    <template #footer>
      <el-button v-if="store.lastResult && store.lastResult.status === 'paid'" :icon="IconPrinter" @click="printReceipt">打印小票</el-button>
      <el-button type="primary" @click="finish">完成</el-button>
    </template>
  </el-dialog>
</div>`,
  };

  function openReceipt(vendorOrderNo) {
    const url = '/api/order/receipt?vendorOrderNo=' + encodeURIComponent(vendorOrderNo) + '&token=' + encodeURIComponent(store.token);
    window.open(url, '_blank');
  }

  // ---------------------------------------------------------------- 交易查询
  const QueryPage = {
    name: 'QueryPage',
    setup() {
      const filters = reactive({ vendorOrderNo: '', storeOrderNo: '' });
      const list = ref([]);
      const total = ref(0);
      const pageNo = ref(1);
      const pageSize = 10;
      const loading = ref(false);
      async function load() {
        loading.value = true;
        try {
          const q = new URLSearchParams({ pageNo: String(pageNo.value), pageSize: String(pageSize), vendorOrderNo: filters.vendorOrderNo.trim(), storeOrderNo: filters.storeOrderNo.trim() });
          if (PAGE_OPTIONS.get('listFailed') === '1') q.set('includeFailed', '1');
          const data = await api('GET', '/api/order/list?' + q.toString());
          list.value = data.list;
          total.value = data.total;
        } catch (e) {
          toastError(e);
        } finally {
          loading.value = false;
        }
      }
      function doQuery() {
        pageNo.value = 1;
        load();
      }
      function doReset() {
        filters.vendorOrderNo = '';
        filters.storeOrderNo = '';
        doQuery();
      }
      async function refund(row) {
        let msg = '确定对交易流水号 ' + row.vendorOrderNo + ' 的订单进行退货吗？';
        if (row.cashFen > 0) msg += '该订单含现金支付 ' + yuan(row.cashFen) + '，需门店单独退还给顾客。';
        try {
          await ElMessageBox.confirm(msg, '退货', { confirmButtonText: '确认', cancelButtonText: '取消', type: 'warning', closeOnClickModal: false });
        } catch (e) {
          return;
        }
        try {
          const o = await api('POST', '/api/order/refund', { vendorOrderNo: row.vendorOrderNo });
          ElMessage.success({ message: '退货成功，退货流水号：' + o.refundNo, duration: 3000 });
          await load();
        } catch (e) {
          toastError(e);
        }
      }
      onMounted(load);
      return { filters, list, total, pageNo, pageSize, loading, load, doQuery, doReset, refund, openReceipt, fenToYuan, fmtTime, IconSearch, IconPrinter };
    },
    template: `
<div class="ryt-query">
  <div class="ryt-panel">
    <h3 class="ryt-panel__title">交易查询</h3>
    <el-form :inline="true" :model="filters" @submit.prevent>
      <el-form-item label="交易流水号">
        <el-input v-model="filters.vendorOrderNo" placeholder="请输入交易流水号" clearable @keyup.enter="doQuery"/>
      </el-form-item>
      <el-form-item label="门店订单号">
        <el-input v-model="filters.storeOrderNo" placeholder="请输入门店订单号" clearable @keyup.enter="doQuery"/>
      </el-form-item>
      <el-form-item>
        <el-button type="primary" :icon="IconSearch" @click="doQuery">查询</el-button>
        <el-button @click="doReset">重置</el-button>
      </el-form-item>
    </el-form>
    <el-table v-loading="loading" :data="list" row-key="vendorOrderNo" border stripe empty-text="暂无交易记录" class="ryt-order-table">
      <el-table-column type="index" label="序号" width="60" align="center"/>
      <el-table-column prop="vendorOrderNo" label="交易流水号" min-width="180"/>
      <el-table-column prop="storeOrderNo" label="门店订单号" min-width="150"/>
      <el-table-column label="交易金额" width="110" align="right"><template #default="{ row }">{{ fenToYuan(row.totalFen) }}</template></el-table-column>
      <el-table-column label="卡支付" width="110" align="right"><template #default="{ row }">{{ fenToYuan(row.cardFen) }}</template></el-table-column>
      <el-table-column label="现金" width="110" align="right"><template #default="{ row }">{{ fenToYuan(row.cashFen) }}</template></el-table-column>
      <el-table-column label="交易凭证" width="180"><template #default="{ row }">{{ row.credential.masked }}</template></el-table-column>
      <el-table-column label="状态" width="90" align="center">
        <template #default="{ row }">
          <el-tag v-if="row.status === 'paid'" type="success">成功</el-tag>
          <el-tag v-else-if="row.status === 'failed'" type="danger">交易失败</el-tag>
          <el-tag v-else type="info">已退货</el-tag>
        </template>
      </el-table-column>
      <el-table-column label="交易时间" width="170"><template #default="{ row }">{{ fmtTime(row.paidAt) }}</template></el-table-column>
      <el-table-column label="操作" width="170" align="center" fixed="right">
        <template #default="{ row }">
          <el-button v-if="row.status === 'paid'" link type="danger" @click="refund(row)">退货</el-button>
          <el-button link type="primary" :icon="IconPrinter" @click="openReceipt(row.vendorOrderNo)">打印小票</el-button>
        </template>
      </el-table-column>
    </el-table>
    <div class="ryt-query-pager">
      <el-pagination v-model:current-page="pageNo" :page-size="pageSize" :total="total" layout="total, prev, pager, next" background @current-change="load"/>
    </div>
  </div>
</div>`,
  };

  // ---------------------------------------------------------------- shell
  const App = {
    name: 'RuyitongApp',
    components: { LoginPage, TradePage, QueryPage },
    setup() {
      const pageName = computed(() => (store.route === '/query' ? '交易查询' : '交易申请'));
      function onMenu(cmd) {
        go(cmd === 'query' ? '/query' : '/trade');
      }
      async function logout() {
        try {
          await ElMessageBox.confirm('确定退出登录吗？', '提示', { confirmButtonText: '确定', cancelButtonText: '取消', type: 'warning' });
        } catch (e) {
          return;
        }
        try {
          await api('POST', '/api/auth/logout', {});
        } catch (e) {
          /* ignore */
        }
        clearSession();
        go('/login');
      }
      return { store, pageName, onMenu, logout, IconMenu };
    },
    template: `
<login-page v-if="store.route === '/login'"/>
<el-container v-else class="ryt-shell">
  <el-header class="ryt-header">
    <el-dropdown class="ryt-header__menu" trigger="click" @command="onMenu">
      <el-button :icon="IconMenu">{{ pageName }}</el-button>
      <template #dropdown>
        <el-dropdown-menu>
          <el-dropdown-item command="trade">交易申请</el-dropdown-item>
          <el-dropdown-item command="query">交易查询</el-dropdown-item>
        </el-dropdown-menu>
      </template>
    </el-dropdown>
    <div class="ryt-header__brand">如医通<small>商保收银WEBPOS</small></div>
    <div class="ryt-header__spacer"></div>
    <div class="ryt-header__store">门店：<span class="ryt-store-name">{{ store.storeName }}</span></div>
    <div class="ryt-header__user">操作员：{{ store.username }}</div>
    <el-button size="small" plain @click="logout">退出</el-button>
  </el-header>
  <el-main class="ryt-main">
    <trade-page v-if="store.route === '/trade'"/>
    <query-page v-else-if="store.route === '/query'"/>
  </el-main>
</el-container>`,
  };

  // ---------------------------------------------------------------- test hook
  window.__ruyitong = {
    state() {
      return JSON.parse(
        JSON.stringify({
          route: store.route,
          step: store.step,
          loggedIn: !!store.token,
          storeName: store.storeName,
          cart: store.cart.map((l) => ({ barcode: l.barcode, name: l.name, qty: l.qty, unitFen: l.unitFen, originalFen: l.originalFen })),
          storeOrderNo: store.storeOrderNo,
          credentialType: store.credentialType,
          lastResult: store.lastResult,
          resultVisible: store.resultVisible,
        }),
      );
    },
  };

  applyRoute();
  const app = createApp(App);
  app.use(ElementPlus, { locale: window.ElementPlusLocaleZhCn });
  app.mount('#app');
})();
