// 如医通 variant "eui2": Element look (el-steps wizard, el-table with separate header/body tables,
// dialogs appended to <body>), in the seed's own words (seed 000 §十四): 交易申请 / 交易查询 in a
// top-left menu, the search box for 药品条码/首拼字母/药品名称, 多条药品记录选择 + 添加商品,
// 价格/数量/原价/折扣/折扣价, 下一步/上一步, 门店订单号, 交易凭证 (身份证 / 平安企业宝付款码),
// 6位数字密码, 订单结算 + 确认结账, a 现金支付 part typed by hand, 交易结果 / 交易成功 / 交易失败,
// 退货 and 打印小票 on 交易查询.
/* global Vue, ElementPlus */
const { createApp, reactive, computed, onMounted, ref, nextTick } = Vue;
const { ElMessage, ElMessageBox } = ElementPlus;

const yuan = (fen) => (fen / 100).toFixed(2);
const toFen = (text) => {
  const n = Number(String(text).trim());
  return Number.isFinite(n) ? Math.round(n * 100) : NaN;
};
async function api(path, body) {
  const res = await fetch(path, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status === 401) throw Object.assign(new Error('登录状态已过期'), { expired: true });
  return res.json();
}

const App = {
  setup() {
    const route = ref(location.hash.replace(/^#/, '') || '/trade');
    window.addEventListener('hashchange', () => {
      route.value = location.hash.replace(/^#/, '') || '/trade';
      if (route.value === '/query') loadOrders();
    });
    const s = reactive({
      step: 0,
      keyword: '',
      hits: [],
      pickOpen: false,
      cart: [],
      storeOrderNo: '',
      voucherType: 'idcard',
      credential: '',
      pwdOpen: false,
      password: '',
      balanceFen: 0,
      cashOpen: false,
      cashText: '',
      cashRound: 0,
      resultOpen: false,
      result: null,
      failMsg: '',
      busy: false,
      orders: [],
      queryText: '',
      user: '',
      expired: false,
    });
    const totalFen = computed(() => s.cart.reduce((sum, l) => sum + lineFen(l), 0));
    const cashFen = computed(() => Math.max(0, totalFen.value - s.balanceFen));
    function lineFen(l) {
      const p = toFen(l.price);
      return Number.isFinite(p) ? p * l.qty : 0;
    }
    function addGoods(g) {
      const have = s.cart.find((l) => l.barcode === g.barcode);
      if (have) have.qty += 1;
      else s.cart.push({ barcode: g.barcode, name: g.name, spec: g.spec, originFen: g.priceFen, discount: '', price: yuan(g.priceFen), qty: 1 });
      s.pickOpen = false;
      s.keyword = '';
    }
    async function search() {
      const q = s.keyword.trim();
      if (!q) return;
      const r = await api(`/api/goods?q=${encodeURIComponent(q)}`);
      s.hits = r.data;
      if (r.data.length === 0) ElMessage.warning('未查询到相关药品');
      else if (r.data.length === 1) addGoods(r.data[0]);
      else s.pickOpen = true;
    }
    function applyDiscount(l) {
      const d = Number(l.discount);
      if (l.discount === '' || !Number.isFinite(d) || d <= 0 || d > 10) return;
      // 折扣价 = 原价 × 折扣 / 10, rounded half-up to the fen (seed: 四舍五入)
      l.price = yuan(Math.floor((l.originFen * d) / 10 + 0.5));
    }
    function removeLine(i) { s.cart.splice(i, 1); }
    function next() {
      if (s.step === 0) {
        if (s.cart.length === 0) return ElMessage.error('请先添加商品');
        if (s.cart.some((l) => !Number.isFinite(toFen(l.price)) || toFen(l.price) < 0)) return ElMessage.error('价格不正确');
        s.step = 1;
      } else if (s.step === 1) {
        if (!s.storeOrderNo.trim()) return ElMessage.error('请录入门店订单号');
        s.step = 2;
      }
    }
    function prev() { if (s.step > 0) s.step -= 1; }
    function confirmVoucher() {
      if (!s.credential.trim()) return ElMessage.error('请录入交易凭证');
      s.password = '';
      s.pwdOpen = true;
    }
    async function confirmPassword() {
      if (!/^\d{6}$/.test(s.password)) return ElMessage.error('请输入6位数字密码');
      const r = await api('/api/verify', { credential: s.credential, password: s.password });
      if (r.code !== 0) return ElMessage.error(r.msg);
      s.balanceFen = r.data.balanceFen;
      s.pwdOpen = false;
      s.step = 3;
    }
    function cancelTrade() {
      Object.assign(s, { step: 0, cart: [], storeOrderNo: '', credential: '', password: '', balanceFen: 0, cashText: '', cashRound: 0 });
    }
    async function checkout() {
      if (cashFen.value > 0) {
        s.cashText = '';
        s.cashRound = 1;
        s.cashOpen = true;
        return;
      }
      await settle(0);
    }
    async function confirmCash() {
      if (toFen(s.cashText) !== cashFen.value) return ElMessage.error(`现金金额应为 ${yuan(cashFen.value)} 元，请核对后手动输入`);
      // over 2000 元 in cash: asked twice (seed 2-8)
      if (cashFen.value > 200000 && s.cashRound === 1) {
        s.cashRound = 2;
        s.cashText = '';
        return;
      }
      s.cashOpen = false;
      await settle(cashFen.value);
    }
    async function settle(cash) {
      s.busy = true;
      try {
        const r = await api('/api/orders', {
          lines: s.cart.map((l) => ({ barcode: l.barcode, qty: l.qty, unitFen: toFen(l.price) })),
          storeOrderNo: s.storeOrderNo,
          credential: s.credential,
          password: s.password,
          cashFen: cash,
        });
        s.password = '';
        if (r.code === 0) { s.result = r.data; s.failMsg = ''; } else { s.result = null; s.failMsg = r.msg; }
        s.resultOpen = true;
      } finally {
        s.busy = false;
      }
    }
    function finish() {
      s.resultOpen = false;
      cancelTrade();
    }
    async function loadOrders() {
      const r = await api(`/api/orders?q=${encodeURIComponent(s.queryText)}`);
      s.orders = r.data;
    }
    async function refund(row) {
      try {
        await ElMessageBox.confirm(`确认对订单 ${row.vendorOrderNo} 退货吗？现金支付部分请另行退还顾客。`, '退货', { confirmButtonText: '确认', cancelButtonText: '取消', type: 'warning' });
      } catch { return; }
      const r = await api('/api/orders/refund', { vendorOrderNo: row.vendorOrderNo });
      if (r.code !== 0) return ElMessage.error(r.msg);
      ElMessage.success('退货成功');
      await loadOrders();
    }
    function printReceipt(row) { ElMessage.info(`正在打开${row.status === 'refunded' ? '退货小票' : '消费小票'}…`); }
    function go(path) { location.hash = `#${path}`; }
    onMounted(async () => {
      try {
        const r = await api('/api/session');
        s.user = r.user;
      } catch (e) {
        if (!e.expired) throw e;
        s.expired = true;
        if (!route.value.startsWith('/login')) {
          ElMessageBox.confirm('登录状态已过期，您可以继续留在该页面，或者重新登录', '系统提示', { confirmButtonText: '重新登录', cancelButtonText: '取消', type: 'warning' })
            .then(() => go('/login?expired=1'), () => undefined);
        }
      }
      if (route.value === '/query') loadOrders();
    });
    window.__variant = { state: () => JSON.parse(JSON.stringify({ step: s.step, cart: s.cart, storeOrderNo: s.storeOrderNo, credential: s.credential, route: route.value })) };
    return { s, route, totalFen, cashFen, yuan, lineFen, search, addGoods, applyDiscount, removeLine, next, prev, confirmVoucher, confirmPassword, cancelTrade, checkout, confirmCash, finish, loadOrders, refund, printReceipt, go };
  },
  template: `
  <div v-if="route.startsWith('/login')" class="login">
    <h2 style="text-align:center">如医通商保收银系统</h2>
    <el-alert v-if="s.expired" title="登录已过期，请重新登录" type="error" :closable="false" show-icon style="margin-bottom:16px" />
    <el-form label-width="70px">
      <el-form-item label="用户名"><el-input placeholder="请输入用户名" /></el-form-item>
      <el-form-item label="密码"><el-input type="password" placeholder="请输入密码" /></el-form-item>
      <el-button type="primary" style="width:100%">登录</el-button>
    </el-form>
  </div>
  <template v-else>
  <div class="topbar">
    <el-dropdown trigger="click" @command="go">
      <span class="el-dropdown-link">{{ route === '/query' ? '交易查询' : '交易申请' }} ▾</span>
      <template #dropdown>
        <el-dropdown-menu>
          <el-dropdown-item command="/trade">交易申请</el-dropdown-item>
          <el-dropdown-item command="/query">交易查询</el-dropdown-item>
        </el-dropdown-menu>
      </template>
    </el-dropdown>
    <span style="margin-left:auto">{{ s.user }}</span>
  </div>
  <div class="main" v-if="route === '/query'">
    <div class="card">
      <el-form inline @submit.prevent>
        <el-form-item label="订单号"><el-input v-model="s.queryText" placeholder="交易流水号/门店订单号" clearable /></el-form-item>
        <el-form-item><el-button type="primary" @click="loadOrders">查询</el-button></el-form-item>
      </el-form>
      <el-table :data="s.orders" border style="width:100%">
        <el-table-column prop="vendorOrderNo" label="交易流水号" min-width="200" />
        <el-table-column prop="storeOrderNo" label="门店订单号" min-width="170" />
        <el-table-column label="订单金额(元)"><template #default="{ row }">{{ yuan(row.totalFen) }}</template></el-table-column>
        <el-table-column label="现金支付(元)"><template #default="{ row }">{{ yuan(row.cashFen) }}</template></el-table-column>
        <el-table-column prop="paidAt" label="交易时间" min-width="160" />
        <el-table-column label="状态"><template #default="{ row }">{{ row.status === 'refunded' ? '已退货' : '交易成功' }}</template></el-table-column>
        <el-table-column label="操作" min-width="170">
          <template #default="{ row }">
            <el-button v-if="row.status === 'paid'" size="small" type="danger" @click="refund(row)">退货</el-button>
            <el-button size="small" @click="printReceipt(row)">打印小票</el-button>
          </template>
        </el-table-column>
      </el-table>
    </div>
  </div>
  <div class="main" v-else>
    <div class="card">
      <el-steps :active="s.step" finish-status="success" align-center>
        <el-step title="添加商品" /><el-step title="录入门店订单号" /><el-step title="录入交易凭证" /><el-step title="订单结算" />
      </el-steps>
    </div>
    <div class="card" v-show="s.step === 0">
      <el-input v-model="s.keyword" placeholder="请输入药品条码/首拼字母/药品名称" clearable style="width:420px" @keyup.enter="search">
        <template #append><el-button @click="search">搜索</el-button></template>
      </el-input>
      <el-table :data="s.cart" border style="width:100%;margin-top:12px" empty-text="暂无药品">
        <el-table-column type="index" label="序号" width="60" />
        <el-table-column prop="name" label="药品名称" min-width="140" />
        <el-table-column prop="barcode" label="商品条码" min-width="140" />
        <el-table-column prop="spec" label="规格" />
        <el-table-column label="原价(元)"><template #default="{ row }">{{ yuan(row.originFen) }}</template></el-table-column>
        <el-table-column label="折扣" width="110"><template #default="{ row }"><el-input v-model="row.discount" placeholder="如9.5" @change="applyDiscount(row)" /></template></el-table-column>
        <el-table-column label="价格(元)" width="130"><template #default="{ row }"><el-input v-model="row.price" /></template></el-table-column>
        <el-table-column label="数量" width="160"><template #default="{ row }"><el-input-number v-model="row.qty" :min="1" :max="999" size="small" /></template></el-table-column>
        <el-table-column label="金额（元）"><template #default="{ row }">{{ yuan(lineFen(row)) }}</template></el-table-column>
        <el-table-column label="操作" width="80"><template #default="{ $index }"><el-button link type="danger" @click="removeLine($index)">删除</el-button></template></el-table-column>
      </el-table>
      <div class="sum">合计：<b>¥{{ yuan(totalFen) }}</b></div>
      <div class="ops"><el-button type="primary" @click="next">下一步</el-button></div>
    </div>
    <div class="card" v-show="s.step === 1">
      <el-form label-width="120px" style="width:520px;margin:20px auto" @submit.prevent>
        <el-form-item label="门店订单号" required><el-input v-model="s.storeOrderNo" placeholder="请输入门店pos的订单号" /></el-form-item>
      </el-form>
      <div class="ops"><el-button @click="prev">上一步</el-button><el-button type="primary" @click="next">下一步</el-button></div>
    </div>
    <div class="card" v-show="s.step === 2">
      <el-form label-width="120px" style="width:560px;margin:20px auto" @submit.prevent>
        <el-form-item label="凭证类型">
          <el-radio-group v-model="s.voucherType"><el-radio value="idcard">身份证</el-radio><el-radio value="paycode">平安企业宝付款码</el-radio></el-radio-group>
        </el-form-item>
        <el-form-item label="交易凭证"><el-input v-model="s.credential" :placeholder="s.voucherType === 'idcard' ? '请输入或读取身份证号' : '请扫描付款码'" /></el-form-item>
      </el-form>
      <div class="ops"><el-button @click="prev">上一步</el-button><el-button type="primary" @click="confirmVoucher">确认</el-button></div>
    </div>
    <div class="card" v-show="s.step === 3">
      <el-descriptions title="订单结算" :column="2" border>
        <el-descriptions-item label="门店订单号">{{ s.storeOrderNo }}</el-descriptions-item>
        <el-descriptions-item label="药品数">{{ s.cart.length }}</el-descriptions-item>
        <el-descriptions-item label="订单金额(元)">{{ yuan(totalFen) }}</el-descriptions-item>
        <el-descriptions-item label="商保可付(元)">{{ yuan(Math.min(totalFen, s.balanceFen)) }}</el-descriptions-item>
        <el-descriptions-item label="现金支付(元)">{{ yuan(cashFen) }}</el-descriptions-item>
      </el-descriptions>
      <div class="ops"><el-button @click="prev">上一步</el-button><el-button @click="cancelTrade">取消</el-button><el-button type="primary" :loading="s.busy" @click="checkout">确认结账</el-button></div>
    </div>
  </div>
  <el-dialog v-model="s.pickOpen" title="多条药品记录选择" width="760px" append-to-body>
    <el-table :data="s.hits" border>
      <el-table-column prop="name" label="药品名称" />
      <el-table-column prop="barcode" label="商品条码" />
      <el-table-column prop="spec" label="规格" />
      <el-table-column prop="maker" label="生产厂家" />
      <el-table-column label="价格(元)"><template #default="{ row }">{{ yuan(row.priceFen) }}</template></el-table-column>
      <el-table-column label="操作"><template #default="{ row }"><el-button size="small" type="primary" @click="addGoods(row)">添加商品</el-button></template></el-table-column>
    </el-table>
  </el-dialog>
  <el-dialog v-model="s.pwdOpen" title="请顾客输入密码" width="420px" append-to-body>
    <el-input v-model="s.password" type="password" maxlength="6" placeholder="请输入6位数字密码" show-password />
    <template #footer><el-button @click="s.pwdOpen = false">取消</el-button><el-button type="primary" @click="confirmPassword">确认</el-button></template>
  </el-dialog>
  <el-dialog v-model="s.cashOpen" title="现金支付" width="440px" append-to-body :close-on-click-modal="false">
    <p>{{ s.cashRound === 2 ? '现金金额超过2000元，请再次手动输入现金金额' : '本单有现金支付部分，请收取现金后手动输入金额' }}：应收现金 ¥{{ yuan(cashFen) }}</p>
    <el-input v-model="s.cashText" placeholder="请手动输入收取的现金金额（元）" />
    <template #footer><el-button @click="s.cashOpen = false">取消</el-button><el-button type="primary" @click="confirmCash">确定</el-button></template>
  </el-dialog>
  <el-dialog v-model="s.resultOpen" title="交易结果" width="520px" append-to-body :close-on-click-modal="false" :show-close="false">
    <el-result v-if="s.result" icon="success" title="交易成功">
      <template #extra>
        <el-descriptions :column="1" border>
          <el-descriptions-item label="交易流水号">{{ s.result.vendorOrderNo }}</el-descriptions-item>
          <el-descriptions-item label="门店订单号">{{ s.result.storeOrderNo }}</el-descriptions-item>
          <el-descriptions-item label="订单金额">¥{{ yuan(s.result.totalFen) }}</el-descriptions-item>
          <el-descriptions-item label="商保支付">¥{{ yuan(s.result.cardFen) }}</el-descriptions-item>
          <el-descriptions-item label="现金支付">¥{{ yuan(s.result.cashFen) }}</el-descriptions-item>
          <el-descriptions-item label="身份证号">{{ s.result.credentialMasked }}</el-descriptions-item>
          <el-descriptions-item label="交易时间">{{ s.result.paidAt }}</el-descriptions-item>
        </el-descriptions>
      </template>
    </el-result>
    <el-result v-else icon="error" title="交易失败" :sub-title="s.failMsg + '。如已收取现金，请退还顾客。'" />
    <template #footer><el-button v-if="s.result">打印小票</el-button><el-button type="primary" @click="finish">完成</el-button></template>
  </el-dialog>
  </template>
  `,
};

createApp(App).use(ElementPlus).mount('#app');
