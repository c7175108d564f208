/* 国惠健康 WebPOS — simulator front end (vue-element-admin style).
 * Plain JS on the global Vue 3 + ElementPlus builds, no build step. Hash routing:
 *   #/login?redirect=%2Findex   #/index (收银台)   #/order/list (订单列表)
 * Money is integer fen; yuan only for display and input text. */
(function () {
  'use strict';
  const { createApp, reactive, ref, computed, nextTick, h, onMounted } = Vue;
  const { ElMessage, ElMessageBox } = ElementPlus;

  // ---------------------------------------------------------------- texts (sim option `renamed`)
  const RENAMED = (window.__GH_SIM_CONFIG && window.__GH_SIM_CONFIG.renamed) || {};
  const T = (s) => (Object.prototype.hasOwnProperty.call(RENAMED, s) ? RENAMED[s] : s);

  // ---------------------------------------------------------------- money (integer fen)
  function fenToYuan(fen) {
    const neg = fen < 0;
    const a = Math.abs(fen);
    return (neg ? '-' : '') + Math.floor(a / 100) + '.' + String(a % 100).padStart(2, '0');
  }
  /** "36" / "36.5" / "36.50" → fen; null when it is not an amount with at most 2 decimals. */
  function parseYuanToFen(text) {
    const m = /^\s*(\d{1,7})(?:\.(\d{0,2}))?\s*$/.exec(String(text == null ? '' : text));
    if (!m) return null;
    return Number(m[1]) * 100 + Number(((m[2] || '') + '00').slice(0, 2));
  }
  /** el-input-number hands over a JS number (19.8); read its decimal text, never multiply floats. */
  function numberToFen(n) {
    if (typeof n !== 'number' || !Number.isFinite(n)) return null;
    const m = /^(\d+)(?:\.(\d+))?$/.exec(String(n));
    if (!m) return null;
    const dec = ((m[2] || '') + '000').slice(0, 3);
    let fen = Number(m[1]) * 100 + Number(dec.slice(0, 2));
    if (Number(dec[2]) >= 5) fen += 1;
    return fen;
  }
  const fenToNumber = (fen) => Number(fenToYuan(fen));
  const yuanText = (fen) => fenToYuan(fen) + ' 元';
  const fmtTime = (iso) => (iso ? String(iso).slice(0, 19).replace('T', ' ') : '');

  // ---------------------------------------------------------------- icons (inline SVG)
  const mkIcon = (name, d) => ({
    name,
    render: () => h('svg', { viewBox: '0 0 1024 1024', xmlns: 'http://www.w3.org/2000/svg' }, [h('path', { fill: 'currentColor', d })]),
  });
  const IconUser = mkIcon('IconUser', 'M512 512a192 192 0 100-384 192 192 0 000 384zm0 64a256 256 0 110-512 256 256 0 010 512zm320 320v-96a96 96 0 00-96-96H288a96 96 0 00-96 96v96a32 32 0 11-64 0v-96a160 160 0 01160-160h448a160 160 0 01160 160v96a32 32 0 11-64 0z');
  const IconLock = mkIcon('IconLock', 'M224 448a32 32 0 00-32 32v384a32 32 0 0032 32h576a32 32 0 0032-32V480a32 32 0 00-32-32H224zm0-64h576a96 96 0 0196 96v384a96 96 0 01-96 96H224a96 96 0 01-96-96V480a96 96 0 0196-96zm288 160a32 32 0 0132 32v192a32 32 0 11-64 0V576a32 32 0 0132-32zm192-160v-64a192 192 0 10-384 0v64h384zM512 64a256 256 0 01256 256v128H256V320A256 256 0 01512 64z');
  const IconSearch = mkIcon('IconSearch', 'M795.904 750.72l124.992 124.928a32 32 0 01-45.248 45.248L750.656 795.904a416 416 0 1145.248-45.248zM480 832a352 352 0 100-704 352 352 0 000 704z');
  const IconCashier = mkIcon('IconCashier', 'M160 320h704v448H160zm64 64v320h576V384zm96-192h384v64H320zm128 288h128v64H448zm-96 96h320v64H352z');
  const IconList = mkIcon('IconList', 'M160 192h704v64H160zm0 288h704v64H160zm0 288h704v64H160zM96 192h32v64H96zm0 288h32v64H96zm0 288h32v64H96z');
  const IconFold = mkIcon('IconFold', 'M896 192H128v128h768V192zm0 256H384v128h512V448zm0 256H128v128h768V704zM320 384L128 512l192 128V384z');
  const IconArrow = mkIcon('IconArrow', 'M831.872 340.864L512 652.672 192.128 340.864a30.592 30.592 0 00-42.752 0 29.12 29.12 0 000 41.6L489.664 714.24a32 32 0 0044.672 0l340.288-331.712a29.12 29.12 0 000-41.728 30.592 30.592 0 00-42.752 0z');

  // ---------------------------------------------------------------- token (cookie, as js-cookie would)
  const TOKEN_KEY = 'GH-Admin-Token';
  function getToken() {
    const m = new RegExp('(?:^|; )' + TOKEN_KEY + '=([^;]*)').exec(document.cookie);
    return m ? decodeURIComponent(m[1]) : '';
  }
  function setToken(t) {
    document.cookie = TOKEN_KEY + '=' + encodeURIComponent(t) + '; path=/; SameSite=Lax';
  }
  function removeToken() {
    document.cookie = TOKEN_KEY + '=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT';
  }

  // ---------------------------------------------------------------- store
  const store = reactive({
    route: '',
    query: {},
    token: getToken(),
    name: '',
    storeName: '',
    storeCode: '',
    infoLoaded: false,
    sidebarCollapsed: false,
    // 收银台
    mode: 'goods', // goods | amount
    lines: [], // {uid, barcode, name, spec, unit, qty, price(number, yuan for el-input-number), unitFen}
    amountText: '',
    storeOrderNo: '',
    memberVisible: false,
    cardNo: '',
    member: null,
    pwdVisible: false,
    password: '',
    paying: false,
    resultVisible: false,
    lastResult: null,
  });
  let lineUid = 0;

  function resetCashier() {
    store.lines = [];
    store.amountText = '';
    store.storeOrderNo = '';
    store.cardNo = '';
    store.member = null;
    store.password = '';
  }

  // ---------------------------------------------------------------- routing
  const ROUTES = ['/login', '/index', '/order/list'];
  function parseHash() {
    const raw = (location.hash || '').replace(/^#/, '') || '/';
    const [p, qs] = raw.split('?');
    const query = {};
    new URLSearchParams(qs || '').forEach((v, k) => (query[k] = v));
    return { path: p || '/', query };
  }
  function go(path) {
    if ((location.hash || '').replace(/^#/, '') !== path) location.hash = '#' + path;
    else applyRoute();
  }
  function applyRoute() {
    const { path, query } = parseHash();
    if (!store.token) {
      if (path !== '/login') {
        const target = ROUTES.includes(path) && path !== '/' ? path : '/index';
        location.replace('#/login?redirect=' + encodeURIComponent(target));
        return;
      }
    } else if (path === '/login') {
      location.replace('#' + (query.redirect && ROUTES.includes(query.redirect) ? query.redirect : '/index'));
      return;
    } else if (!ROUTES.includes(path)) {
      location.replace('#/index');
      return;
    }
    store.route = path;
    store.query = query;
    document.title = (path === '/login' ? '登录' : path === '/order/list' ? T('订单列表') : T('收银台')) + ' - 国惠健康WebPOS';
    if (store.token && !store.infoLoaded) loadInfo();
  }
  window.addEventListener('hashchange', applyRoute);

  // ---------------------------------------------------------------- request (axios-like interceptor)
  async function request(opts) {
    const method = opts.method || 'GET';
    let url = '/prod-api' + opts.url;
    if (opts.params) {
      const qs = new URLSearchParams();
      for (const k of Object.keys(opts.params)) {
        const v = opts.params[k];
        if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
      }
      const s = qs.toString();
      if (s) url += '?' + s;
    }
    const headers = { Accept: 'application/json, text/plain, */*' };
    if (opts.data !== undefined) headers['Content-Type'] = 'application/json;charset=UTF-8';
    if (store.token) headers['X-Token'] = store.token;
    let res;
    try {
      const resp = await fetch(url, { method, headers, body: opts.data === undefined ? undefined : JSON.stringify(opts.data) });
      res = await resp.json();
    } catch (e) {
      ElMessage({ message: '网络异常，请稍后重试', type: 'error', duration: 5 * 1000 });
      throw e;
    }
    if (res.code !== 20000) {
      if (res.code === 50008 || res.code === 50012 || res.code === 50014) {
        ElMessage({ message: res.message || '登录状态已失效，请重新登录', type: 'error', duration: 5 * 1000 });
        removeToken();
        store.token = '';
        store.infoLoaded = false;
        go('/login?redirect=' + encodeURIComponent(store.route && store.route !== '/login' ? store.route : '/index'));
      } else {
        ElMessage({ message: res.message || 'Error', type: 'error', duration: 5 * 1000 });
      }
      const err = new Error(res.message || 'Error');
      err.code = res.code;
      throw err;
    }
    return res.data;
  }

  async function loadInfo() {
    try {
      const info = await request({ url: '/user/info' });
      store.name = info.name;
      store.storeName = info.storeName;
      store.storeCode = info.storeCode;
      store.infoLoaded = true;
    } catch (e) {
      /* handled by the interceptor */
    }
  }

  // ---------------------------------------------------------------- 登录
  const LoginPage = {
    name: 'Login',
    setup() {
      const loginFormRef = ref();
      const loginForm = reactive({ username: '', password: '' });
      const loginRules = {
        username: [{ required: true, trigger: 'blur', message: '请输入账号' }],
        password: [{ required: true, trigger: 'blur', message: '请输入密码' }],
      };
      const loading = ref(false);
      const capsTooltip = ref(false);
      function checkCapslock(e) {
        const key = e && e.key;
        capsTooltip.value = !!(key && key.length === 1 && key >= 'A' && key <= 'Z' && !e.shiftKey);
      }
      async function handleLogin() {
        const valid = await loginFormRef.value.validate().catch(() => false);
        if (!valid) return;
        loading.value = true;
        try {
          const data = await request({ url: '/user/login', method: 'POST', data: { username: loginForm.username.trim(), password: loginForm.password } });
          setToken(data.token);
          store.token = data.token;
          store.infoLoaded = false;
          resetCashier();
          const redirect = store.query.redirect && ROUTES.includes(store.query.redirect) && store.query.redirect !== '/login' ? store.query.redirect : '/index';
          go(redirect);
        } catch (e) {
          /* shown by the interceptor */
        } finally {
          loading.value = false;
        }
      }
      return { loginFormRef, loginForm, loginRules, loading, capsTooltip, checkCapslock, handleLogin, IconUser, IconLock };
    },
    template: `
<div class="login-container">
  <el-form ref="loginFormRef" :model="loginForm" :rules="loginRules" class="login-form" autocomplete="on" label-position="left" @submit.prevent>
    <div class="title-container">
      <h3 class="title">国惠健康 WebPOS 收银系统</h3>
      <div class="sub-title">合作药房收银端 · 请使用门店账号登录</div>
    </div>
    <el-form-item prop="username">
      <span class="svg-container"><el-icon><IconUser/></el-icon></span>
      <el-input v-model="loginForm.username" placeholder="账号" name="username" type="text" tabindex="1" autocomplete="on"/>
    </el-form-item>
    <el-tooltip :visible="capsTooltip" content="大写锁定已打开" placement="right">
      <el-form-item prop="password">
        <span class="svg-container"><el-icon><IconLock/></el-icon></span>
        <el-input v-model="loginForm.password" type="password" placeholder="密码" name="password" tabindex="2" autocomplete="on" show-password
          @keyup="checkCapslock" @blur="capsTooltip = false" @keyup.enter="handleLogin"/>
      </el-form-item>
    </el-tooltip>
    <el-button :loading="loading" type="primary" class="login-btn" @click.prevent="handleLogin">登 录</el-button>
    <div class="tips">忘记密码请联系国惠健康客服：400-028-0000</div>
  </el-form>
</div>`,
  };

  // ---------------------------------------------------------------- 收银台
  const CashierPage = {
    name: 'Cashier',
    setup() {
      const keyword = ref('');
      const cardInput = ref();
      const pwdInput = ref();
      const reading = ref(false);
      let searchSeq = 0;

      function querySearch(queryString, cb) {
        const k = String(queryString || '').trim();
        if (!k) {
          cb([]);
          return;
        }
        const mine = ++searchSeq;
        request({ url: '/goods/search', params: { keyword: k } })
          .then((data) => {
            if (mine !== searchSeq) return; // a newer search is under way
            cb(data.items || []);
          })
          .catch(() => cb([]));
      }
      function onPick(item) {
        const existing = store.lines.find((l) => l.barcode === item.barcode);
        if (existing) {
          existing.qty = Math.min(999, existing.qty + 1);
        } else {
          store.lines.push({
            uid: ++lineUid,
            barcode: item.barcode,
            name: item.name,
            spec: item.spec,
            unit: item.unit,
            qty: 1,
            price: fenToNumber(item.priceFen),
            unitFen: item.priceFen,
          });
        }
        keyword.value = '';
      }
      function onPriceChange(row, v) {
        const fen = numberToFen(v);
        if (fen === null || fen < 1) {
          ElMessage.warning('单价必须大于0');
          row.price = fenToNumber(row.unitFen);
          return;
        }
        row.unitFen = fen;
      }
      function onQtyChange(row, v) {
        if (!Number.isInteger(v) || v < 1) row.qty = 1;
      }
      function removeLine(row) {
        const i = store.lines.indexOf(row);
        if (i >= 0) store.lines.splice(i, 1);
      }
      const goodsFen = computed(() => store.lines.reduce((s, l) => s + l.unitFen * (l.qty || 0), 0));
      const amountFen = computed(() => parseYuanToFen(store.amountText));
      const payFen = computed(() => (store.mode === 'goods' ? goodsFen.value : amountFen.value || 0));

      function clearAll() {
        resetCashier();
        keyword.value = '';
      }
      function goPay() {
        if (store.mode === 'goods') {
          if (!store.lines.length) {
            ElMessage.warning('请先添加商品');
            return;
          }
          if (store.lines.some((l) => !(l.unitFen > 0) || !(l.qty > 0))) {
            ElMessage.warning('请检查商品单价和数量');
            return;
          }
        } else {
          const fen = amountFen.value;
          if (fen === null || fen <= 0) {
            ElMessage.warning('请输入正确的收款金额');
            return;
          }
          if (fen > 9999999) {
            ElMessage.warning('单笔收款金额不能超过99999.99元');
            return;
          }
        }
        store.cardNo = '';
        store.member = null;
        store.memberVisible = true;
      }

      async function readCard() {
        const card = String(store.cardNo || '').trim();
        store.cardNo = card;
        if (!card) {
          ElMessage.warning('未检测到读卡器，请手动输入卡号或扫描付款码');
          return;
        }
        if (reading.value) return;
        reading.value = true;
        store.member = null;
        try {
          const m = await request({ url: '/member/read', method: 'POST', data: { cardNo: card } });
          if (store.cardNo === card) store.member = m;
        } catch (e) {
          /* shown */
        } finally {
          reading.value = false;
        }
      }
      function onCardInput() {
        store.member = null;
      }
      function confirmCollect() {
        if (!store.member) {
          ElMessage.warning('请先读卡');
          return;
        }
        store.password = '';
        store.pwdVisible = true;
      }
      async function confirmPay() {
        if (store.paying) return;
        if (!/^\d{6}$/.test(store.password)) {
          ElMessage.warning('请输入6位数字支付密码');
          return;
        }
        store.paying = true;
        const goods = store.mode === 'goods';
        try {
          const data = await request({
            url: '/cashier/pay',
            method: 'POST',
            data: {
              mode: store.mode,
              cardNo: store.cardNo,
              password: store.password,
              storeOrderNo: store.storeOrderNo.trim(),
              amountFen: payFen.value,
              lines: goods ? store.lines.map((l) => ({ barcode: l.barcode, qty: l.qty, unitFen: l.unitFen })) : undefined,
            },
          });
          store.lastResult = data;
          store.pwdVisible = false;
          store.memberVisible = false;
          store.resultVisible = true;
        } catch (e) {
          store.password = '';
          nextTick(() => pwdInput.value && pwdInput.value.focus());
        } finally {
          store.paying = false;
        }
      }
      function cancelPwd() {
        store.password = '';
        store.pwdVisible = false;
      }
      function finish() {
        store.resultVisible = false;
      }
      function onResultClosed() {
        if (store.lastResult && store.lastResult.status === 'paid') clearAll();
      }
      function retry() {
        store.resultVisible = false;
        goPay();
      }

      return {
        store, T, fenToYuan, yuanText, fmtTime, IconSearch,
        keyword, querySearch, onPick, onPriceChange, onQtyChange, removeLine, goodsFen, payFen, clearAll, goPay,
        cardInput, pwdInput, reading, readCard, onCardInput, confirmCollect, confirmPay, cancelPwd, finish, onResultClosed, retry,
      };
    },
    template: `
<div class="app-container gh-cashier">
  <el-card shadow="never">
    <el-tabs v-model="store.mode" class="gh-mode-tabs">
      <el-tab-pane :label="T('商品收款')" name="goods">
        <div class="gh-search-row">
          <el-autocomplete v-model="keyword" :fetch-suggestions="querySearch" :placeholder="T('输入商品名称/条码搜索')"
            value-key="name" :trigger-on-focus="false" :debounce="300" clearable popper-class="gh-goods-popper"
            style="width:440px" class="gh-goods-search" @select="onPick">
            <template #prefix><el-icon><IconSearch/></el-icon></template>
            <template #default="{ item }">
              <div class="gh-goods-option">
                <span class="gh-goods-option__name">{{ item.name }}</span>
                <span class="gh-goods-option__spec">{{ item.spec }}</span>
                <span class="gh-goods-option__code">{{ item.barcode }}</span>
                <span class="gh-goods-option__price">¥{{ fenToYuan(item.priceFen) }}</span>
              </div>
            </template>
          </el-autocomplete>
          <span class="gh-tip">支持商品名称、拼音简码、商品条码，从下拉列表中选择商品</span>
        </div>
        <el-table :data="store.lines" row-key="uid" border fit highlight-current-row class="gh-lines-table" empty-text="请搜索并选择商品">
          <el-table-column type="index" label="序号" width="60" align="center"/>
          <el-table-column prop="name" :label="T('商品名称')" min-width="150"/>
          <el-table-column prop="spec" label="规格" width="110"/>
          <el-table-column prop="barcode" :label="T('条码')" width="140"/>
          <el-table-column :label="T('单价')" width="160" align="center">
            <template #default="{ row }">
              <el-input-number v-model="row.price" :min="0.01" :max="99999.99" :precision="2" :step="1" :controls="false" size="small"
                @change="(v) => onPriceChange(row, v)"/>
            </template>
          </el-table-column>
          <el-table-column :label="T('数量')" width="160" align="center">
            <template #default="{ row }">
              <el-input-number v-model="row.qty" :min="1" :max="999" :step="1" step-strictly controls-position="right" size="small"
                @change="(v) => onQtyChange(row, v)"/>
            </template>
          </el-table-column>
          <el-table-column label="小计" width="110" align="right">
            <template #default="{ row }">{{ fenToYuan(row.unitFen * (row.qty || 0)) }}</template>
          </el-table-column>
          <el-table-column label="操作" width="80" align="center">
            <template #default="{ row }"><el-button link type="danger" size="small" @click="removeLine(row)">删除</el-button></template>
          </el-table-column>
        </el-table>
      </el-tab-pane>
      <el-tab-pane :label="T('按金额收款')" name="amount">
        <el-form label-width="120px" class="gh-amount-form" @submit.prevent>
          <el-form-item :label="T('收款金额')" required>
            <el-input v-model="store.amountText" :placeholder="T('请输入收款金额')" style="width:280px" clearable maxlength="9" @keyup.enter="goPay">
              <template #append>元</template>
            </el-input>
          </el-form-item>
        </el-form>
      </el-tab-pane>
    </el-tabs>

    <el-form label-width="120px" class="gh-extra-form" @submit.prevent>
      <el-form-item :label="T('备注/门店单号')">
        <el-input v-model="store.storeOrderNo" :placeholder="T('选填，填写门店销售单号便于对账')" maxlength="32" clearable style="width:360px"/>
      </el-form-item>
    </el-form>

    <div class="gh-settle-bar">
      <span class="gh-total-label">应收金额：</span><span class="gh-total">¥{{ fenToYuan(payFen) }}</span>
      <el-button size="large" @click="clearAll">{{ T('清空') }}</el-button>
      <el-button type="primary" size="large" @click="goPay">{{ T('去收款') }}</el-button>
    </div>
  </el-card>

  <!-- 会员验证 -->
  <el-dialog v-model="store.memberVisible" :title="T('会员验证')" width="540px" append-to-body destroy-on-close
    :close-on-click-modal="false" class="gh-member-dialog" @opened="cardInput && cardInput.focus()">
    <div class="gh-pay-amount">应收金额<b>¥{{ fenToYuan(payFen) }}</b></div>
    <el-form label-width="100px" @submit.prevent>
      <el-form-item :label="T('卡号/付款码')">
        <el-input ref="cardInput" v-model="store.cardNo" :placeholder="T('请刷卡、输入卡号或扫描付款码')" clearable maxlength="24"
          @input="onCardInput" @keyup.enter="readCard">
          <template #append><el-button :loading="reading" @click="readCard">{{ T('读卡') }}</el-button></template>
        </el-input>
      </el-form-item>
      <div v-if="store.member" class="gh-member-info">
        <el-form-item label="会员姓名">{{ store.member.memberName }}</el-form-item>
        <el-form-item label="卡类型">{{ store.member.cardType }}</el-form-item>
        <el-form-item :label="T('会员卡号')">{{ store.member.cardMasked }}</el-form-item>
        <el-form-item label="可用余额">{{ store.member.balanceFen === null ? '不限' : '¥' + fenToYuan(store.member.balanceFen) }}</el-form-item>
      </div>
    </el-form>
    <template #footer>
      <el-button @click="store.memberVisible = false">{{ T('取消') }}</el-button>
      <el-button type="primary" :disabled="!store.member" @click="confirmCollect">{{ T('确认收款') }}</el-button>
    </template>
  </el-dialog>

  <!-- 支付密码 -->
  <el-dialog v-model="store.pwdVisible" :title="T('输入支付密码')" width="420px" append-to-body destroy-on-close
    :close-on-click-modal="false" :show-close="false" class="gh-pwd-dialog" @opened="pwdInput && pwdInput.focus()">
    <div class="gh-pwd-tip">请将键盘交给顾客，由顾客本人输入会员支付密码</div>
    <el-form label-width="80px" @submit.prevent>
      <el-form-item :label="T('支付密码')">
        <el-input ref="pwdInput" v-model="store.password" type="password" show-password maxlength="6" autocomplete="new-password"
          :placeholder="T('请输入6位支付密码')" @keyup.enter="confirmPay"/>
      </el-form-item>
    </el-form>
    <template #footer>
      <el-button @click="cancelPwd">{{ T('取消') }}</el-button>
      <el-button type="primary" :loading="store.paying" @click="confirmPay">{{ T('确定') }}</el-button>
    </template>
  </el-dialog>

  <!-- 收款结果 -->
  <el-dialog v-model="store.resultVisible" :title="store.lastResult && store.lastResult.status === 'paid' ? T('收款成功') : T('收款失败')"
    width="500px" append-to-body :close-on-click-modal="false" :close-on-press-escape="false" class="gh-result-dialog" @closed="onResultClosed">
    <div v-if="store.lastResult && store.lastResult.status === 'paid'" class="gh-result gh-result--success">
      <el-result icon="success" :title="T('收款成功')"/>
      <el-form label-width="100px" label-suffix="：" class="gh-result-form">
        <el-form-item :label="T('交易流水号')"><span class="gh-result-value">{{ store.lastResult.vendorOrderNo }}</span></el-form-item>
        <el-form-item v-if="store.lastResult.storeOrderNo" :label="T('门店单号')"><span class="gh-result-value">{{ store.lastResult.storeOrderNo }}</span></el-form-item>
        <el-form-item :label="T('订单金额')"><span class="gh-result-value">{{ yuanText(store.lastResult.amountFen) }}</span></el-form-item>
        <el-form-item :label="T('实付金额')"><span class="gh-result-value gh-result-money">{{ yuanText(store.lastResult.paidFen) }}</span></el-form-item>
        <el-form-item :label="T('会员卡号')"><span class="gh-result-value">{{ store.lastResult.cardMasked }}</span></el-form-item>
        <el-form-item :label="T('收款时间')"><span class="gh-result-value">{{ fmtTime(store.lastResult.paidAt) }}</span></el-form-item>
      </el-form>
    </div>
    <div v-else-if="store.lastResult" class="gh-result gh-result--fail">
      <el-result icon="error" :title="T('收款失败')" :sub-title="store.lastResult.failReason"/>
      <el-form label-width="100px" label-suffix="：" class="gh-result-form">
        <el-form-item :label="T('交易流水号')"><span class="gh-result-value">{{ store.lastResult.vendorOrderNo }}</span></el-form-item>
        <el-form-item :label="T('订单金额')"><span class="gh-result-value">{{ yuanText(store.lastResult.amountFen) }}</span></el-form-item>
      </el-form>
    </div>
    <template #footer>
      <template v-if="store.lastResult && store.lastResult.status === 'paid'">
        <el-button type="primary" @click="finish">{{ T('完成') }}</el-button>
      </template>
      <template v-else>
        <el-button @click="finish">{{ T('关闭') }}</el-button>
        <el-button type="primary" @click="retry">{{ T('重新收款') }}</el-button>
      </template>
    </template>
  </el-dialog>
</div>`,
  };

  // ---------------------------------------------------------------- 订单列表
  const OrderListPage = {
    name: 'OrderList',
    setup() {
      const listQuery = reactive({ page: 1, limit: 10, tradeNo: '', storeOrderNo: '', status: '' });
      const list = ref([]);
      const total = ref(0);
      const listLoading = ref(false);
      async function getList() {
        listLoading.value = true;
        try {
          const data = await request({ url: '/order/list', params: { ...listQuery } });
          list.value = data.items || [];
          total.value = data.total || 0;
        } catch (e) {
          /* shown */
        } finally {
          listLoading.value = false;
        }
      }
      function handleFilter() {
        listQuery.page = 1;
        getList();
      }
      function resetFilter() {
        listQuery.tradeNo = '';
        listQuery.storeOrderNo = '';
        listQuery.status = '';
        handleFilter();
      }
      onMounted(getList);
      return { T, listQuery, list, total, listLoading, getList, handleFilter, resetFilter, fenToYuan, fmtTime, IconSearch };
    },
    template: `
<div class="app-container gh-order-list">
  <div class="filter-container">
    <el-input v-model="listQuery.tradeNo" placeholder="交易流水号" class="filter-item" clearable @keyup.enter="handleFilter"/>
    <el-input v-model="listQuery.storeOrderNo" placeholder="门店单号" class="filter-item" clearable @keyup.enter="handleFilter"/>
    <el-select v-model="listQuery.status" placeholder="状态" clearable class="filter-item" style="width:130px">
      <el-option label="收款成功" value="paid"/>
      <el-option label="收款失败" value="failed"/>
    </el-select>
    <el-button type="primary" :icon="IconSearch" @click="handleFilter">{{ T('搜索') }}</el-button>
    <el-button @click="resetFilter">{{ T('重置') }}</el-button>
  </div>
  <el-table v-loading="listLoading" :data="list" border fit highlight-current-row style="width:100%" class="gh-order-table" empty-text="暂无数据">
    <el-table-column type="index" label="序号" width="60" align="center"/>
    <el-table-column prop="vendorOrderNo" label="交易流水号" min-width="210"/>
    <el-table-column prop="storeOrderNo" label="门店单号" min-width="140"/>
    <el-table-column label="订单金额" width="110" align="right"><template #default="{ row }">{{ fenToYuan(row.amountFen) }}</template></el-table-column>
    <el-table-column label="实付金额" width="110" align="right"><template #default="{ row }">{{ fenToYuan(row.paidFen) }}</template></el-table-column>
    <el-table-column prop="cardMasked" label="会员卡号" width="180"/>
    <el-table-column label="收款方式" width="110" align="center"><template #default="{ row }">{{ row.mode === 'amount' ? '按金额收款' : '商品收款' }}</template></el-table-column>
    <el-table-column label="状态" width="100" align="center">
      <template #default="{ row }">
        <el-tag :type="row.status === 'paid' ? 'success' : 'danger'" disable-transitions>{{ row.status === 'paid' ? '收款成功' : '收款失败' }}</el-tag>
      </template>
    </el-table-column>
    <el-table-column label="收款时间" width="170" align="center"><template #default="{ row }">{{ fmtTime(row.paidAt) }}</template></el-table-column>
  </el-table>
  <div class="pagination-container">
    <el-pagination v-model:current-page="listQuery.page" v-model:page-size="listQuery.limit" :total="total" :page-sizes="[10, 20, 50]"
      background layout="total, sizes, prev, pager, next, jumper" @current-change="getList" @size-change="handleFilter"/>
  </div>
</div>`,
  };

  // ---------------------------------------------------------------- layout
  const App = {
    name: 'App',
    components: { LoginPage, CashierPage, OrderListPage },
    setup() {
      const crumb = computed(() => (store.route === '/order/list' ? T('订单列表') : T('收银台')));
      function onMenuSelect(index) {
        go(index);
      }
      async function onCommand(cmd) {
        if (cmd !== 'logout') return;
        try {
          await ElMessageBox.confirm('确定注销并退出系统吗？', '提示', { confirmButtonText: '确定', cancelButtonText: '取消', type: 'warning' });
        } catch (e) {
          return;
        }
        await request({ url: '/user/logout', method: 'POST', data: {} }).catch(() => {});
        removeToken();
        store.token = '';
        store.infoLoaded = false;
        resetCashier();
        go('/login?redirect=' + encodeURIComponent('/index'));
      }
      return { store, T, crumb, onMenuSelect, onCommand, IconCashier, IconList, IconFold, IconArrow };
    },
    template: `
<login-page v-if="store.route === '/login'"/>
<div v-else-if="store.route" class="app-wrapper" :class="{ hideSidebar: store.sidebarCollapsed }">
  <div class="sidebar-container">
    <div class="sidebar-logo-container">
      <a class="sidebar-logo-link" href="#/index"><span class="sidebar-logo">国</span><h1 class="sidebar-title">国惠健康 WebPOS</h1></a>
    </div>
    <el-scrollbar>
      <el-menu :default-active="store.route" :collapse="store.sidebarCollapsed" :collapse-transition="false" :unique-opened="false"
        background-color="#304156" text-color="#bfcbd9" active-text-color="#409EFF" mode="vertical" @select="onMenuSelect">
        <el-menu-item index="/index"><el-icon><IconCashier/></el-icon><template #title>{{ T('收银台') }}</template></el-menu-item>
        <el-menu-item index="/order/list"><el-icon><IconList/></el-icon><template #title>{{ T('订单列表') }}</template></el-menu-item>
      </el-menu>
    </el-scrollbar>
  </div>
  <div class="main-container">
    <div class="navbar">
      <div class="hamburger-container" title="收起/展开菜单" @click="store.sidebarCollapsed = !store.sidebarCollapsed"><el-icon class="hamburger"><IconFold/></el-icon></div>
      <el-breadcrumb class="app-breadcrumb" separator="/">
        <el-breadcrumb-item><a href="#/index">首页</a></el-breadcrumb-item>
        <el-breadcrumb-item><span class="no-redirect">{{ crumb }}</span></el-breadcrumb-item>
      </el-breadcrumb>
      <div class="right-menu">
        <span class="store-name">门店：<b class="gh-store-name">{{ store.storeName }}</b></span>
        <el-dropdown trigger="click" @command="onCommand">
          <div class="avatar-wrapper">
            <span class="user-avatar">{{ (store.name || '?').slice(0, 1).toUpperCase() }}</span>
            <span class="user-name">{{ store.name }}</span><el-icon><IconArrow/></el-icon>
          </div>
          <template #dropdown>
            <el-dropdown-menu>
              <el-dropdown-item disabled>修改密码</el-dropdown-item>
              <el-dropdown-item divided command="logout">退出登录</el-dropdown-item>
            </el-dropdown-menu>
          </template>
        </el-dropdown>
      </div>
    </div>
    <section class="app-main">
      <cashier-page v-if="store.route === '/index'"/>
      <order-list-page v-else-if="store.route === '/order/list'"/>
    </section>
  </div>
</div>`,
  };

  // ---------------------------------------------------------------- test hook
  window.__guohui = {
    state() {
      return JSON.parse(
        JSON.stringify({
          route: store.route,
          loggedIn: !!store.token,
          storeName: store.storeName,
          mode: store.mode,
          lines: store.lines.map((l) => ({ barcode: l.barcode, name: l.name, qty: l.qty, unitFen: l.unitFen })),
          amountText: store.amountText,
          storeOrderNo: store.storeOrderNo,
          memberVisible: store.memberVisible,
          member: store.member,
          pwdVisible: store.pwdVisible,
          resultVisible: store.resultVisible,
          lastResult: store.lastResult,
          renamed: RENAMED,
        }),
      );
    },
  };

  applyRoute();
  const app = createApp(App);
  app.use(ElementPlus, { locale: window.ElementPlusLocaleZhCn, button: { autoInsertSpace: true } });
  for (const icon of [IconUser, IconLock, IconSearch, IconCashier, IconList, IconFold, IconArrow]) app.component(icon.name, icon);
  app.mount('#app');
})();
