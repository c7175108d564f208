// 员福好管家 variant "eui2": Element look, one 网页收银 page. The goods box is labelled 「药品」 and
// every search opens a 「选择药品」 dialog (appended to <body>) with a 「选择」 button in each row;
// the cart says 品名 / 售价（元） / 件数 / 金额 (元) with el-input-number cells; the store's number is
// a 门店单号; 「收款」 opens a dialog where the customer's card and password go; the page then shows
// 「收银成功」 with the 支付单号 (seed 000 §八: 网页收银, 收银成功).
/* global Vue, ElementPlus */
const { createApp, reactive, computed } = Vue;
const { ElMessage } = ElementPlus;
const yuan = (fen) => (fen / 100).toFixed(2);
const api = async (path, body) =>
  (await fetch(path, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json();

const App = {
  setup() {
    const s = reactive({ menu: 'pos', keyword: '', hits: [], pickOpen: false, cart: [], storeNo: '', payOpen: false, payTab: 'card', card: '', password: '', busy: false, result: null, orders: [] });
    const totalFen = computed(() => s.cart.reduce((sum, l) => sum + Math.round(l.price * 100) * l.qty, 0));
    async function search() {
      if (!s.keyword.trim()) return ElMessage.warning('请输入药品名称或条码');
      s.hits = (await api(`/api/goods?q=${encodeURIComponent(s.keyword.trim())}`)).data;
      s.pickOpen = true;
    }
    function pick(g) {
      const have = s.cart.find((l) => l.barcode === g.barcode);
      if (have) have.qty += 1;
      else s.cart.push({ barcode: g.barcode, name: g.name, spec: g.spec, price: g.priceFen / 100, qty: 1 });
      s.pickOpen = false;
    }
    function openPay() {
      if (s.cart.length === 0) return ElMessage.error('请先添加药品');
      if (!s.storeNo.trim()) return ElMessage.error('请输入门店单号');
      s.payOpen = true;
    }
    async function pay() {
      if (!s.card.trim() || !s.password) return ElMessage.error('请输入卡号和密码');
      s.busy = true;
      const r = await api('/api/orders', {
        lines: s.cart.map((l) => ({ barcode: l.barcode, qty: l.qty, unitFen: Math.round(l.price * 100) })),
        storeOrderNo: s.storeNo,
        credential: s.card,
        password: s.password,
        cashFen: 0,
      });
      s.busy = false;
      s.password = '';
      if (r.code !== 0) return ElMessage.error(r.msg);
      s.payOpen = false;
      s.result = r.data;
    }
    function again() { Object.assign(s, { result: null, cart: [], storeNo: '', card: '', keyword: '' }); }
    async function showOrders() { s.menu = 'orders'; s.orders = (await api('/api/orders')).data; }
    window.__variant = { state: () => JSON.parse(JSON.stringify({ cart: s.cart, storeNo: s.storeNo, card: s.card })) };
    return { s, totalFen, yuan, search, pick, openPay, pay, again, showOrders };
  },
  template: `
  <el-container style="min-height:100vh">
    <el-aside width="180px" style="background:#2b2f3a">
      <div style="color:#fff;text-align:center;line-height:56px">员福好管家</div>
      <el-menu :default-active="s.menu" background-color="#2b2f3a" text-color="#bfcbd9" active-text-color="#409eff">
        <el-menu-item index="pos" @click="s.menu = 'pos'">网页收银</el-menu-item>
        <el-menu-item index="orders" @click="showOrders">收银记录</el-menu-item>
      </el-menu>
    </el-aside>
    <el-main>
      <div class="card" v-if="s.menu === 'orders'">
        <el-table :data="s.orders" border>
          <el-table-column prop="vendorOrderNo" label="支付单号" /><el-table-column prop="storeOrderNo" label="门店单号" />
          <el-table-column label="收款金额"><template #default="{ row }">{{ yuan(row.cardFen) }}</template></el-table-column>
          <el-table-column prop="paidAt" label="收款时间" />
        </el-table>
      </div>
      <div class="card" v-else-if="s.result">
        <el-result icon="success" title="收银成功" sub-title="顾客已完成支付">
          <template #extra>
            <el-descriptions :column="1" border style="width:460px;margin:0 auto 16px">
              <el-descriptions-item label="支付单号">{{ s.result.vendorOrderNo }}</el-descriptions-item>
              <el-descriptions-item label="门店单号">{{ s.result.storeOrderNo }}</el-descriptions-item>
              <el-descriptions-item label="收款金额">{{ yuan(s.result.cardFen) }} 元</el-descriptions-item>
              <el-descriptions-item label="会员卡号">{{ s.result.credentialMasked }}</el-descriptions-item>
              <el-descriptions-item label="收款时间">{{ s.result.paidAt }}</el-descriptions-item>
            </el-descriptions>
            <el-button type="primary" @click="again">继续收银</el-button>
          </template>
        </el-result>
      </div>
      <div class="card" v-else>
        <el-form inline @submit.prevent="search">
          <el-form-item label="药品"><el-input v-model="s.keyword" placeholder="扫码或输入药品名称、条码" style="width:320px" @keyup.enter="search" /></el-form-item>
          <el-form-item><el-button type="primary" @click="search">搜索</el-button></el-form-item>
        </el-form>
        <el-table :data="s.cart" border empty-text="请先搜索并选择药品">
          <el-table-column prop="name" label="品名" min-width="140" />
          <el-table-column prop="barcode" label="条形码" min-width="140" />
          <el-table-column prop="spec" label="规格" />
          <el-table-column label="售价（元）" width="190"><template #default="{ row }"><el-input-number v-model="row.price" :precision="2" :step="0.1" :min="0" /></template></el-table-column>
          <el-table-column label="件数" width="170"><template #default="{ row }"><el-input-number v-model="row.qty" :min="1" :max="999" /></template></el-table-column>
          <el-table-column label="金额 (元)"><template #default="{ row }">{{ yuan(Math.round(row.price * 100) * row.qty) }}</template></el-table-column>
          <el-table-column label="操作" width="80"><template #default="{ $index }"><el-button link type="danger" @click="s.cart.splice($index, 1)">删除</el-button></template></el-table-column>
        </el-table>
        <el-form label-width="90px" style="margin-top:16px;width:480px" @submit.prevent>
          <el-form-item label="门店单号" required><el-input v-model="s.storeNo" placeholder="请输入门店单号" /></el-form-item>
          <el-form-item label="应收金额"><b>¥{{ yuan(totalFen) }}</b></el-form-item>
        </el-form>
        <div class="ops"><el-button type="primary" size="large" @click="openPay">收款</el-button></div>
      </div>
    </el-main>
  </el-container>
  <el-dialog v-model="s.pickOpen" title="选择药品" width="760px" append-to-body>
    <el-table :data="s.hits" border empty-text="没有找到药品">
      <el-table-column prop="name" label="品名" /><el-table-column prop="barcode" label="条形码" /><el-table-column prop="spec" label="规格" />
      <el-table-column label="售价"><template #default="{ row }">{{ yuan(row.priceFen) }}</template></el-table-column>
      <el-table-column label="操作" width="100"><template #default="{ row }"><el-button size="small" type="primary" @click="pick(row)">选择</el-button></template></el-table-column>
    </el-table>
  </el-dialog>
  <el-dialog v-model="s.payOpen" title="收款" width="480px" append-to-body :close-on-click-modal="false">
    <p>应收金额：<b>¥{{ yuan(totalFen) }}</b></p>
    <el-tabs v-model="s.payTab">
      <el-tab-pane label="卡号支付" name="card" />
      <el-tab-pane label="付款码支付" name="code" />
    </el-tabs>
    <el-form label-width="80px" @submit.prevent>
      <el-form-item :label="s.payTab === 'card' ? '会员卡号' : '付款码'"><el-input v-model="s.card" :placeholder="s.payTab === 'card' ? '请输入或刷会员卡号' : '请扫描顾客付款码'" /></el-form-item>
      <el-form-item label="密码"><el-input v-model="s.password" type="password" placeholder="请顾客输入密码" /></el-form-item>
    </el-form>
    <template #footer><el-button @click="s.payOpen = false">取消</el-button><el-button type="primary" :loading="s.busy" @click="pay">确认收款</el-button></template>
  </el-dialog>
  `,
};
createApp(App).use(ElementPlus).mount('#app');
